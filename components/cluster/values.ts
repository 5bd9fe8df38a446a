// Small readings of Kubernetes values the tables share (kinds.ts and wide-columns.ts both use them).

export const num = (v: unknown): number => (typeof v === "number" ? v : 0);

export function ageOf(iso: string | undefined, now: number): string {
  if (!iso) return "";
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
