// The support policy's rules applied to the release calendars (calendar.ts) and the smoke-test results
// (results.ts): a pure function that says, for any day, what state each Kubernetes minor is in.
//
// The rules, as the policy states them (POLICY in policy.ts):
// - A new minor is supported once its smoke suite passes on a release of it, and within 3 months of its
//   first release; without a passing suite by then it is *late*, and the page says when support is
//   expected (a notice published within about 8 weeks).
// - An old minor's support ends with a given Tether release, or when the minor three newer becomes
//   supported, whichever comes first. The end release of a minor is the first Tether release on or after
//   3 months past the first release of the minor three newer (the starting table names its own).
// - At least 3 minors are always supported: a minor past its end release stays supported until a newer
//   one takes its place.
// - The oldest supported minor is *ending*: the next to leave.
// - A beta or release candidate that passed the smoke suite is a *preview*.
import {
  HELM_RELEASES,
  HELM_SUPPORTED_MINORS_BACK,
  KUBERNETES_MINORS,
  KUBERNETES_PRERELEASES,
  LATE_NOTICES,
  POLICY_START,
  TETHER_TRAIN,
  type HelmRelease,
  type KubernetesMinorRelease,
  type KubernetesPrerelease,
} from "./calendar";
import { POLICY, parseMinor, type SupportedMinor } from "./basics";
import { SMOKE_RESULTS, type SmokeResult } from "./results";

export type MinorState =
  /** Supported; not the oldest. */
  | "supported"
  /** Supported, and the oldest: the next to leave. */
  | "ending"
  /** Released; smoke-tested on a pre-release only; support expected by a date. */
  | "expected"
  /** Released less than 3 months ago; smoke tests under way. */
  | "awaiting"
  /** Released over 3 months ago without a passing smoke suite. */
  | "late"
  /** A beta or release candidate that passed the smoke suite. */
  | "preview"
  /** A beta or release candidate not smoke-tested yet. */
  | "upcoming"
  /** No longer supported (or never was, because the minor three newer came first). */
  | "ended";

export interface TetherRelease {
  /** "19.2" */
  name: string;
  /** YYYY-MM-DD */
  date: string;
}

export interface PolicyRow {
  minor: string;
  state: MinorState;
  /** YYYY-MM-DD of 1.N.0; null for a minor known only by its pre-release. */
  firstRelease: string | null;
  /** The pre-release this row stands for (preview/upcoming), e.g. "1.38.0-beta.0". */
  prerelease: string | null;
  /** When support began (YYYY-MM-DD); null when never supported. */
  supportedSince: string | null;
  /** For a supported minor: the Tether release that ends it and the minor whose support ends it. */
  end: { release: TetherRelease; estimated: boolean; whenSupported: string } | null;
  /** Supported past its end release, only so that at least the promised number stay supported. */
  extended: boolean;
  /** YYYY-MM-DD by which support is expected (expected, awaiting, late). */
  expectedBy: string | null;
  /** YYYY-MM-DD on which support ended (ended rows that were supported). */
  endedOn: string | null;
  /** The condition or explanation, worded for the page. */
  condition: string;
  /** The latest smoke-test result for this minor as of the day. */
  smoke: SmokeResult | null;
  /** Helm minors whose version skew covers this minor, newest first ("4.3", "3.22", …). */
  helm: string[];
}

export interface PolicyInput {
  minors: readonly KubernetesMinorRelease[];
  prereleases: readonly KubernetesPrerelease[];
  results: readonly SmokeResult[];
  start: { since: string; minors: readonly { minor: string; endsWithRelease: string }[] };
  notices: readonly { minor: string; expectedRelease: string }[];
  helm: readonly HelmRelease[];
}

export const POLICY_INPUT: PolicyInput = {
  minors: KUBERNETES_MINORS,
  prereleases: KUBERNETES_PRERELEASES,
  results: SMOKE_RESULTS,
  start: POLICY_START,
  notices: LATE_NOTICES,
  helm: HELM_RELEASES,
};

// ---- dates (UTC, whole days) ----

const DAY = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD day or of a Date's day. */
function dayOf(d: string | Date): number {
  if (typeof d === "string") {
    const t = Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);
    if (Number.isNaN(t)) throw new Error(`not a date: ${JSON.stringify(d)}`);
    return Math.floor(t / DAY) * DAY;
  }
  return Math.floor(d.getTime() / DAY) * DAY;
}

export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** The same day n months later (the last day of the month when that day does not exist). */
export function addMonths(t: number, n: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last));
}

function thirdThursday(year: number, month0: number): number {
  const first = new Date(Date.UTC(year, month0, 1)).getUTCDay(); // 0 = Sunday
  const firstThursday = 1 + ((4 - first + 7) % 7);
  return Date.UTC(year, month0, firstThursday + 14);
}

/** The date of a Tether release on the train ("19.2" → 2026-07-16); null when not on the train. */
export function tetherReleaseDate(name: string): string | null {
  const v = parseMinor(name);
  if (!v || v[0] < TETHER_TRAIN.firstMajor || v[1] > 11) return null;
  const months = (v[0] - TETHER_TRAIN.firstMajor) * 12 + v[1];
  const month0 = TETHER_TRAIN.firstMonth - 1 + months;
  return isoDay(thirdThursday(TETHER_TRAIN.firstYear + Math.floor(month0 / 12), month0 % 12));
}

/** The first Tether release on or after a day. */
export function tetherReleaseOnOrAfter(t: number): TetherRelease {
  const d = new Date(t);
  let year = d.getUTCFullYear();
  let month0 = d.getUTCMonth();
  if (thirdThursday(year, month0) < dayOf(d)) {
    month0 += 1;
    if (month0 === 12) {
      month0 = 0;
      year += 1;
    }
  }
  const months = Math.max(0, (year - TETHER_TRAIN.firstYear) * 12 + month0 - (TETHER_TRAIN.firstMonth - 1));
  const name = `${TETHER_TRAIN.firstMajor + Math.floor(months / 12)}.${months % 12}`;
  return { name, date: tetherReleaseDate(name)! };
}

// ---- helpers over the input ----

function minorOfVersion(version: string): string {
  const [major, minor] = version.split(".");
  return `${major}.${minor}`;
}

function isPrerelease(version: string): boolean {
  return version.includes("-");
}

function bump(minor: string, by: number): string {
  const [major, n] = parseMinor(minor)!;
  return `${major}.${n + by}`;
}

function minorNumber(minor: string): number {
  const [major, n] = parseMinor(minor)!;
  return major * 1000 + n;
}

/** Helm minors whose skew covers `minor`, newest Helm first. */
export function helmFor(minor: string, helm: readonly HelmRelease[] = HELM_RELEASES): string[] {
  const n = minorNumber(minor);
  return helm
    .filter((h) => {
      const c = minorNumber(h.compiledAgainst);
      return n <= c && n >= c - HELM_SUPPORTED_MINORS_BACK;
    })
    .map((h) => h.helm)
    .sort((a, b) => minorNumber(b) - minorNumber(a));
}

const fmt = (t: number) => isoDay(t);

/**
 * Each Kubernetes minor's state on `date` under the policy, newest first: every supported minor, every
 * released one not supported yet, pre-releases, and the most recently ended one.
 */
export function policyTable(date: Date | string, input: PolicyInput = POLICY_INPUT): PolicyRow[] {
  const today = dayOf(date);
  const released = input.minors
    .filter((m) => dayOf(m.firstRelease) <= today)
    .sort((a, b) => minorNumber(a.minor) - minorNumber(b.minor));
  const releaseDay = new Map(input.minors.map((m) => [m.minor, dayOf(m.firstRelease)]));
  const results = input.results.filter((r) => dayOf(r.date) <= today);
  const startDay = dayOf(input.start.since);

  // The first release of a minor, or an estimate for one not released yet (Kubernetes ships three
  // minors a year: four months after the newest one known).
  const newestKnown = [...input.minors].sort((a, b) => minorNumber(b.minor) - minorNumber(a.minor))[0];
  function firstReleaseOf(minor: string): { t: number; estimated: boolean } {
    const known = releaseDay.get(minor);
    if (known !== undefined) return { t: known, estimated: false };
    const steps = newestKnown ? minorNumber(minor) - minorNumber(newestKnown.minor) : 0;
    const base = newestKnown ? dayOf(newestKnown.firstRelease) : today;
    return { t: addMonths(base, 4 * Math.max(1, steps)), estimated: true };
  }

  function passes(minor: string, pre: boolean): SmokeResult[] {
    return results
      .filter((r) => r.result === "pass" && minorOfVersion(r.kubernetesVersion) === minor)
      .filter((r) => isPrerelease(r.kubernetesVersion) === pre)
      .sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  }
  function latestResult(minor: string): SmokeResult | null {
    const mine = results.filter((r) => minorOfVersion(r.kubernetesVersion) === minor);
    return mine.sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0] ?? null;
  }

  const olderThanStart = (minor: string) => input.start.minors.every((s) => minorNumber(minor) < minorNumber(s.minor));
  const startEntry = (minor: string) => input.start.minors.find((m) => m.minor === minor);
  const supportStartCache = new Map<string, number | null>();
  function supportStart(minor: string): number | null {
    if (supportStartCache.has(minor)) return supportStartCache.get(minor)!;
    let t: number | null = null;
    const r = releaseDay.get(minor);
    if (startEntry(minor) && startDay <= today) t = startDay;
    else if (r !== undefined && r <= today) {
      const first = passes(minor, false)[0];
      if (first) t = Math.max(r, dayOf(first.date));
    }
    supportStartCache.set(minor, t);
    return t;
  }
  function endRelease(minor: string): { release: TetherRelease; estimated: boolean } {
    const named = startEntry(minor);
    if (named)
      return {
        release: { name: named.endsWithRelease, date: tetherReleaseDate(named.endsWithRelease)! },
        estimated: false,
      };
    const successor = firstReleaseOf(bump(minor, 3));
    return {
      release: tetherReleaseOnOrAfter(addMonths(successor.t, POLICY.newMinorSupportedWithinMonths)),
      estimated: successor.estimated,
    };
  }
  /** The day its support ends by the rules alone (ignoring the minimum), or null while neither end has come. */
  function naturalEnd(minor: string): number | null {
    const byRelease = dayOf(endRelease(minor).release.date);
    const successorStart = supportStart(bump(minor, 3));
    const ends = [byRelease, ...(successorStart !== null ? [successorStart] : [])].filter((t) => t <= today);
    return ends.length ? Math.min(...ends) : null;
  }

  // Supported today: started and not ended; then the minimum keeps the newest of the ended ones.
  const started = released.filter((m) => supportStart(m.minor) !== null).map((m) => m.minor);
  const current = started.filter((m) => naturalEnd(m) === null);
  const extended = new Set<string>();
  const endedNewestFirst = started.filter((m) => naturalEnd(m) !== null).reverse();
  for (const m of endedNewestFirst) {
    if (current.length >= POLICY.minimumSupportedMinors) break;
    // Only a minor newer than every one dropped so far can be kept: support is a window of minors.
    current.push(m);
    extended.add(m);
  }
  current.sort((a, b) => minorNumber(b) - minorNumber(a));
  const oldestCurrent = current[current.length - 1];

  const rows: PolicyRow[] = [];
  const base = (minor: string) => ({
    minor,
    firstRelease: releaseDay.has(minor) && releaseDay.get(minor)! <= today ? fmt(releaseDay.get(minor)!) : null,
    prerelease: null,
    smoke: latestResult(minor),
    helm: helmFor(minor, input.helm),
  });

  for (const m of released.map((r) => r.minor)) {
    const since = supportStart(m);
    const r = releaseDay.get(m)!;
    const expectedBy = addMonths(r, POLICY.newMinorSupportedWithinMonths);
    if (current.includes(m)) {
      const end = endRelease(m);
      const whenSupported = bump(m, 3);
      const endWords = `release ${end.release.name} (${end.estimated ? "expected " : ""}${end.release.date})`;
      const condition = extended.has(m)
        ? `Past its end with ${endWords}; stays supported until ${whenSupported} or another newer minor is supported, so that at least ${POLICY.minimumSupportedMinors} minors are supported`
        : `Support ends with ${endWords} or when ${whenSupported} becomes supported`;
      rows.push({
        ...base(m),
        state: m === oldestCurrent ? "ending" : "supported",
        supportedSince: fmt(since!),
        end: { release: end.release, estimated: end.estimated, whenSupported },
        extended: extended.has(m),
        expectedBy: null,
        endedOn: null,
        condition,
      });
      continue;
    }
    const olderThanSupported = oldestCurrent !== undefined && minorNumber(m) < minorNumber(oldestCurrent);
    const successorStart = supportStart(bump(m, 3));
    if (since !== null || olderThanSupported || successorStart !== null) {
      const endedOn = since !== null ? naturalEnd(m) : null;
      rows.push({
        ...base(m),
        state: "ended",
        supportedSince: since !== null ? fmt(since) : null,
        end: null,
        extended: false,
        expectedBy: null,
        endedOn: endedOn !== null ? fmt(endedOn) : null,
        condition:
          endedOn !== null
            ? `No longer supported since ${fmt(endedOn)}`
            : successorStart !== null && !olderThanStart(m)
              ? `Not supported: ${bump(m, 3)} became supported (${fmt(successorStart)}) before ${m} passed the smoke suite`
              : "No longer supported",
      });
      continue;
    }
    const pre = passes(m, true).at(-1);
    if (pre) {
      rows.push({
        ...base(m),
        state: "expected",
        supportedSince: null,
        end: null,
        extended: false,
        expectedBy: fmt(expectedBy),
        endedOn: null,
        condition: `Smoke-tested on ${pre.kubernetesVersion}; support expected by ${fmt(expectedBy)}`,
      });
    } else if (today <= expectedBy) {
      const smokeBy = r + POLICY.smokeResultsWithinWeeks * 7 * DAY;
      rows.push({
        ...base(m),
        state: "awaiting",
        supportedSince: null,
        end: null,
        extended: false,
        expectedBy: fmt(expectedBy),
        endedOn: null,
        condition: `Released ${fmt(r)}; smoke-test results due by ${fmt(smokeBy)}, support expected by ${fmt(expectedBy)}`,
      });
    } else {
      const notice = input.notices.find((n) => n.minor === m);
      const noticeBy = expectedBy + POLICY.lateSupportNoticeWithinWeeks * 7 * DAY;
      const noticeDate = notice ? tetherReleaseDate(notice.expectedRelease) : null;
      rows.push({
        ...base(m),
        state: "late",
        supportedSince: null,
        end: null,
        extended: false,
        expectedBy: noticeDate,
        endedOn: null,
        condition:
          `Late: not supported within ${POLICY.newMinorSupportedWithinMonths} months of its release (${fmt(r)}). ` +
          (notice
            ? `Support is expected with release ${notice.expectedRelease}${noticeDate ? ` (${noticeDate})` : ""}.`
            : `The release expected to bring support is announced here by ${fmt(noticeBy)}.`),
      });
    }
  }

  // Pre-releases of minors with no first release yet (as of the day).
  const preMinors = new Map<string, KubernetesPrerelease>();
  for (const p of input.prereleases) {
    const minor = minorOfVersion(p.version);
    const r = releaseDay.get(minor);
    if (dayOf(p.date) > today || (r !== undefined && r <= today)) continue;
    const prev = preMinors.get(minor);
    if (!prev || dayOf(p.date) > dayOf(prev.date)) preMinors.set(minor, p);
  }
  for (const [minor, p] of preMinors) {
    const pass = passes(minor, true).at(-1);
    rows.push({
      ...base(minor),
      prerelease: pass?.kubernetesVersion ?? p.version,
      state: pass ? "preview" : "upcoming",
      supportedSince: null,
      end: null,
      extended: false,
      expectedBy: null,
      endedOn: null,
      condition: pass
        ? `Preview: ${pass.kubernetesVersion} passed the smoke suite on ${isoDay(dayOf(pass.date))}; not for production until ${minor}.0 is released and supported`
        : `${p.version} (pre-release of ${p.date}) is not smoke-tested yet`,
    });
  }

  // Newest first; of the ended ones, keep only the one just below the supported window.
  const shown = rows.filter(
    (r) => r.state !== "ended" || oldestCurrent === undefined || minorNumber(r.minor) >= minorNumber(oldestCurrent) - 1,
  );
  return shown.sort((a, b) => minorNumber(b.minor) - minorNumber(a.minor));
}

/** The supported minors on a day, newest first, in the shape the cluster badges judge against. */
export function supportedMinorsAt(date: Date | string, input: PolicyInput = POLICY_INPUT): SupportedMinor[] {
  return policyTable(date, input)
    .filter((r) => r.state === "supported" || r.state === "ending")
    .map((r) => ({
      minor: r.minor,
      endsWithRelease: r.end!.release.name,
      endsWithReleaseDate: r.end!.release.date,
      endsWhenSupported: r.end!.whenSupported,
    }));
}

/**
 * The minors `npm run test:versions` must smoke-test on a day: the supported ones (to keep their results
 * fresh) and every released minor not supported yet (its passing suite is what makes it supported).
 * Pre-releases are not built (the testbed builds releases only).
 */
export function minorsToTest(date: Date | string, input: PolicyInput = POLICY_INPUT): { minor: string }[] {
  const wanted = new Set<MinorState>(["supported", "ending", "expected", "awaiting", "late"]);
  return policyTable(date, input)
    .filter((r) => wanted.has(r.state))
    .map((r) => ({ minor: r.minor }));
}
