// Support-status badges. The text always says the status (colour and the glyph only repeat it), so the
// badge reads the same to a screen reader, in dark mode and in greyscale.
import { supportStatus, type SupportStatus } from "@/lib/versions/policy";
import type { MinorState } from "@/lib/versions/rules";

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

/**
 * The badge for a version as a cluster reports it (e.g. "v1.33.4-gke.100"). A version whose support is
 * ending also says, in words, by when at the latest, so that the row carries a dated warning.
 */
export function VersionBadge({ version }: { version: string | null }) {
  const verdict = supportStatus(version);
  if (verdict.status !== "ending") return <StatusBadge status={verdict.status} title={verdict.detail} />;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <StatusBadge status={verdict.status} title={verdict.detail} />
      <span className="text-xs text-amber-800 dark:text-amber-300" data-testid="support-ends">
        {verdict.endsOn ? `until ${verdict.endsOn} at the latest` : "soon"}
        {verdict.endsWhenSupported ? ` (or when ${verdict.endsWhenSupported} is supported)` : ""}
      </span>
    </span>
  );
}

const STATE_LOOK: Record<MinorState, { label: string; glyph: string; className: string }> = {
  supported: { ...LOOK.supported },
  ending: { ...LOOK.ending },
  expected: {
    label: "Smoke-tested, support expected",
    glyph: "…",
    className: "border-sky-300 bg-sky-50 text-sky-800 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-300",
  },
  awaiting: {
    label: "New, being tested",
    glyph: "…",
    className: "border-sky-300 bg-sky-50 text-sky-800 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-300",
  },
  late: {
    label: "Late",
    glyph: "!",
    className:
      "border-orange-300 bg-orange-50 text-orange-900 dark:border-orange-800 dark:bg-orange-950 dark:text-orange-300",
  },
  preview: {
    label: "Preview",
    glyph: "β",
    className:
      "border-violet-300 bg-violet-50 text-violet-800 dark:border-violet-800 dark:bg-violet-950 dark:text-violet-300",
  },
  upcoming: {
    label: "Pre-release, not tested",
    glyph: "β",
    className: "border-zinc-300 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
  },
  ended: { ...LOOK.unsupported, label: "No longer supported" },
};

export function minorStateLabel(state: MinorState): string {
  return STATE_LOOK[state].label;
}

/** The badge for a row of the version matrix (a minor's state under the policy's rules). */
export function MinorStateBadge({ state }: { state: MinorState }) {
  const look = STATE_LOOK[state];
  return (
    <span
      data-state={state}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${look.className}`}
    >
      <span aria-hidden>{look.glyph}</span>
      {look.label}
    </span>
  );
}
