// Pure formatting for the agent pages: relative times ("12 s ago") and absolute ones for titles.

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 days ago"; future times (clock skew) are "just now". */
export function formatRelative(thenMs: number, nowMs: number): string {
  const s = Math.floor((nowMs - thenMs) / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  const d = Math.floor(h / 24);
  return `${d} days ago`;
}

/** "2025-01-31 14:05 UTC": the same text on the server and in every browser. */
export function formatUtc(iso: string): string {
  return iso.slice(0, 16).replace("T", " ") + " UTC";
}

/** The line a configuration error names ("line 4: …" → 4), or null. */
export function errorLine(message: string | undefined): number | null {
  const m = message ? /^line (\d+):/.exec(message) : null;
  return m ? Number(m[1]) : null;
}
