"use client";
import { formatRelative, formatUtc } from "./format";
import { useNow } from "./use-now";

/** A time shown as "12 s ago", ticking every second; the exact UTC time is in the title. */
export function RelativeTime({
  iso,
  skewMs = 0,
  never = "Never",
}: {
  iso: string | null;
  skewMs?: number;
  never?: string;
}) {
  const now = useNow();
  if (!iso) return <span className="text-zinc-500">{never}</span>;
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {formatRelative(Date.parse(iso), now + skewMs)}
    </time>
  );
}
