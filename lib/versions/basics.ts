// The support policy's constants and the small parsers both the rules (rules.ts) and the badges
// (policy.ts) use; kept apart so that neither imports the other's module.

/** One supported Kubernetes minor version and the condition that ends its support. */
export interface SupportedMinor {
  /** "1.33" */
  minor: string;
  /** The Tether release with which support ends, e.g. "19.2". */
  endsWithRelease: string;
  /** Its date (YYYY-MM-DD), when known. */
  endsWithReleaseDate?: string;
  /** Or support ends earlier, when this newer minor becomes supported, e.g. "1.36". */
  endsWhenSupported: string;
}

/** The rules that govern how the list above changes over time. */
export const POLICY = {
  /** A new Kubernetes minor version is supported within this many months of its first release. */
  newMinorSupportedWithinMonths: 3,
  /** At any time, at least this many production-ready minor versions are supported. */
  minimumSupportedMinors: 3,
  /** Smoke-test results for a new Kubernetes release are published within about this many weeks. */
  smokeResultsWithinWeeks: 4,
  /** When support for a new minor is late, the release expected to bring it is published within about this many weeks. */
  lateSupportNoticeWithinWeeks: 8,
  /** Helm: use a version compatible with the cluster, per Helm's version-skew policy. */
  helmVersionSkewUrl: "https://helm.sh/docs/topics/version_skew/",
} as const;

/** "1.33" → [1, 33]; null when not a minor version. */
export function parseMinor(s: string): [number, number] | null {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(s);
  return m ? [Number(m[1]), Number(m[2])] : null;
}
