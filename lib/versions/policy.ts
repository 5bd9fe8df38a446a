// Judging a cluster's Kubernetes version against the support policy. Which minors are supported on a
// day is computed by the policy's rules (rules.ts) from the release calendars (calendar.ts) and the
// smoke-test results (results.ts); policy.test.ts checks that any such list stays consistent (enough
// minors, sorted, no duplicates, every minor has an end condition).
import { POLICY, parseMinor, type SupportedMinor } from "./basics";
import { supportedMinorsAt } from "./rules";

export { POLICY, parseMinor, type SupportedMinor } from "./basics";

/** The minors supported today, newest first (computed on each call, so a long-running server follows the calendar). */
export function currentSupportedMinors(now: Date = new Date()): SupportedMinor[] {
  return supportedMinorsAt(now);
}

/** The end-of-support condition, worded as the policy states it. */
export function endOfSupportText(m: SupportedMinor): string {
  const date = m.endsWithReleaseDate ? ` (${m.endsWithReleaseDate})` : "";
  return `Support ends with release ${m.endsWithRelease}${date} or when ${m.endsWhenSupported} becomes supported`;
}

export interface ClusterVersion {
  major: number;
  minor: number;
  patch: number;
  /** What follows the patch number, e.g. "-gke.100" or "+k3s1"; "" when there is none. */
  suffix: string;
}

// "v1.33.4", "1.33.4", "v1.33.4-gke.100", "v1.33.4-eks-3025e55", "v1.33.4+k3s1", "v1.33.4+rke2r1".
// Numbers have no leading zeros (as in semver); the suffix is a semver pre-release and/or build part.
const VERSION_RE = /^[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)((?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/** Parses the version a cluster reports (its `gitVersion`), or returns null when it is not one. */
export function parseClusterVersion(s: string | null | undefined): ClusterVersion | null {
  if (typeof s !== "string" || s.length > 128) return null;
  const m = VERSION_RE.exec(s.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), suffix: m[4] ?? "" };
}

function compareMinor(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * - supported: the minor version is in SUPPORTED_MINORS.
 * - ending: supported, but it is the oldest supported minor. Support always covers a fixed window of
 *   minors, so when the next minor becomes supported (or the end release ships) the oldest one is the
 *   one that leaves. It is the next to go, and we flag it now so that its clusters get upgraded in time.
 * - unsupported: older than the oldest supported minor (no longer supported), or newer than the newest
 *   (not supported yet: new minors are supported within POLICY.newMinorSupportedWithinMonths months).
 * - unknown: no version reported, or one that cannot be parsed.
 */
export type SupportStatus = "supported" | "ending" | "unsupported" | "unknown";

export interface SupportVerdict {
  status: SupportStatus;
  /** "1.33" when the version parsed. */
  minor: string | null;
  /** Why unsupported: too old ("no-longer") or too new ("not-yet"). */
  reason?: "no-longer" | "not-yet";
  /** A sentence to show beside the badge: the end-of-support condition, or what to do. */
  detail: string;
  /** Supported or ending: the day of the Tether release that ends support at the latest (YYYY-MM-DD). */
  endsOn?: string;
  /** Supported or ending: the newer minor whose support ends this one's. */
  endsWhenSupported?: string;
}

/** The status of one supported minor within the list (the oldest is "ending"). */
export function minorStatus(
  minor: string,
  minors: readonly SupportedMinor[] = currentSupportedMinors(),
): "supported" | "ending" | null {
  const index = minors.findIndex((m) => m.minor === minor);
  if (index === -1) return null;
  return index === minors.length - 1 ? "ending" : "supported";
}

/** Judges a version string as a cluster reports it against the policy. */
export function supportStatus(
  version: string | null | undefined,
  minors: readonly SupportedMinor[] = currentSupportedMinors(),
): SupportVerdict {
  const parsed = parseClusterVersion(version);
  if (!parsed) {
    return {
      status: "unknown",
      minor: null,
      detail: version
        ? `"${version}" is not a Kubernetes version Tether can read.`
        : "The cluster has not reported its Kubernetes version.",
    };
  }
  const minor = `${parsed.major}.${parsed.minor}`;
  const entry = minors.find((m) => m.minor === minor);
  if (entry)
    return {
      status: minorStatus(minor, minors)!,
      minor,
      detail: endOfSupportText(entry),
      ...(entry.endsWithReleaseDate ? { endsOn: entry.endsWithReleaseDate } : {}),
      endsWhenSupported: entry.endsWhenSupported,
    };

  const newest = minors[0];
  const oldest = minors[minors.length - 1];
  if (!newest || !oldest)
    return { status: "unsupported", minor, reason: "no-longer", detail: "No Kubernetes version is supported." };
  const v: [number, number] = [parsed.major, parsed.minor];
  if (compareMinor(v, parseMinor(newest.minor)!) > 0) {
    return {
      status: "unsupported",
      minor,
      reason: "not-yet",
      detail: `Not supported yet: new minor versions are supported within ${POLICY.newMinorSupportedWithinMonths} months of their first release. The newest supported version is ${newest.minor}.`,
    };
  }
  return {
    status: "unsupported",
    minor,
    reason: "no-longer",
    detail: `No longer supported: upgrade to ${oldest.minor} or newer.`,
  };
}

/** Consistency problems in a list of supported minors; empty when the data is sound. */
export function policyProblems(minors: readonly SupportedMinor[] = currentSupportedMinors()): string[] {
  const problems: string[] = [];
  if (minors.length < POLICY.minimumSupportedMinors)
    problems.push(
      `only ${minors.length} supported minor(s); the policy promises at least ${POLICY.minimumSupportedMinors}`,
    );
  const seen = new Set<string>();
  minors.forEach((m, i) => {
    const v = parseMinor(m.minor);
    if (!v) problems.push(`"${m.minor}" is not a minor version like 1.33`);
    if (seen.has(m.minor)) problems.push(`${m.minor} is listed twice`);
    seen.add(m.minor);
    if (!parseMinor(m.endsWithRelease))
      problems.push(`${m.minor}: end release "${m.endsWithRelease}" is not a release like 19.2`);
    const until = parseMinor(m.endsWhenSupported);
    if (!until) problems.push(`${m.minor}: "${m.endsWhenSupported}" is not a minor version like 1.36`);
    // When `until` becomes supported, `m` leaves; the minors after it up to `until` must still number
    // at least the promised minimum.
    else if (v && (until[0] !== v[0] || until[1] - v[1] < POLICY.minimumSupportedMinors)) {
      problems.push(
        `${m.minor}: ending support when ${m.endsWhenSupported} becomes supported would leave fewer than ${POLICY.minimumSupportedMinors} supported minors`,
      );
    }
    const prev = minors[i - 1];
    const pv = prev ? parseMinor(prev.minor) : null;
    if (v && pv && compareMinor(pv, v) <= 0)
      problems.push(`${m.minor} is listed after ${prev!.minor}; keep the list newest first`);
    const release = parseMinor(m.endsWithRelease);
    const prevRelease = prev ? parseMinor(prev.endsWithRelease) : null;
    if (release && prevRelease && compareMinor(release, prevRelease) > 0) {
      problems.push(
        `${m.minor} ends with release ${m.endsWithRelease}, after the newer ${prev!.minor} (${prev!.endsWithRelease})`,
      );
    }
  });
  return problems;
}
