import { formatUtc } from "@/components/agents/format";

/** A moment as "2025-01-31 14:05 UTC", the same on the server and in every browser, machine-readable too. */
export function UtcTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatUtc(iso)}</time>;
}
