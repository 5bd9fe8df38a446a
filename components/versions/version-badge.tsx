// Support-status badges. The text always says the status (colour and the glyph only repeat it), so the
// badge reads the same to a screen reader, in dark mode and in greyscale.
import { supportStatus, type SupportStatus } from "@/lib/versions/policy";

const LOOK: Record<SupportStatus, { label: string; glyph: string; className: string }> = {
  supported: {
    label: "Supported",
    glyph: "✓",
    className:
      "border-green-300 bg-green-50 text-green-800 dark:border-green-800 dark:bg-green-950 dark:text-green-300",
  },
  ending: {
    label: "Support ending",
    glyph: "!",
    className:
      "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300",
  },
  unsupported: {
    label: "Unsupported",
    glyph: "✕",
    className: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300",
  },
  unknown: {
    label: "Unknown",
    glyph: "?",
    className: "border-zinc-300 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
  },
};

export function statusLabel(status: SupportStatus): string {
  return LOOK[status].label;
}

export function StatusBadge({ status, title }: { status: SupportStatus; title?: string }) {
  const look = LOOK[status];
  return (
    <span
      data-status={status}
      title={title}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${look.className}`}
    >
      <span aria-hidden>{look.glyph}</span>
      {look.label}
    </span>
  );
}

/** The badge for a version as a cluster reports it (e.g. "v1.33.4-gke.100"); null when none was reported. */
export function VersionBadge({ version }: { version: string | null }) {
  const verdict = supportStatus(version);
  return <StatusBadge status={verdict.status} title={verdict.detail} />;
}
