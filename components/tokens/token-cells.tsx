// The cells every token table shows alike: when it was last used (and from where, when known) and its status.
import { RelativeTime } from "@/components/agents/relative-time";
import { UtcTime } from "@/components/ui/utc-time";
import { lastUsedFromText } from "./token-logic";

export function LastUsedCell({
  iso,
  from,
}: {
  iso: string | null;
  from?: { pod: string | null; address: string | null } | null;
}) {
  return (
    <>
      <RelativeTime iso={iso} never="Never used" />
      {from ? (
        <span className="block text-xs text-zinc-500" data-testid="token-last-used-from">
          from {lastUsedFromText(from)}
        </span>
      ) : null}
    </>
  );
}

/** Active, Expired, or Revoked (by whom, when known) with the moment below it. */
export function TokenStatusText({
  status,
  revokedAt,
  revokedBy,
}: {
  status: "active" | "expired" | "revoked";
  revokedAt: string | null;
  /** As the panel names people ("alice" or "@alice"). */
  revokedBy?: string | null;
}) {
  if (status === "active") return <span className="font-medium text-green-700 dark:text-green-400">Active</span>;
  if (status === "expired") return <span className="text-zinc-500">Expired</span>;
  return (
    <span className="text-zinc-500">
      Revoked{revokedBy ? ` by ${revokedBy}` : ""}
      {revokedAt ? (
        <span className="block text-xs">
          <UtcTime iso={revokedAt} />
        </span>
      ) : null}
    </span>
  );
}
