// The pure parts of `npm run test:versions`: which Kubernetes release to test for each supported
// minor, how a run's outcome becomes a result, and how results merge into lib/versions/smoke-results.json.
import { SmokeResultsFileSchema, type SmokeResult } from "../lib/versions/results";

export interface Plan {
  /** One release per supported minor, newest minor first. */
  releases: { minor: string; version: string }[];
  /** Supported minors with no release to test (none pinned in MATRIX_RELEASES: the proxy serves none that builds). */
  untestable: string[];
  /** Where the proxy lists a newer patch than the pinned one (which may not build exactly: check it). */
  newerListed: { minor: string; pinned: string; listed: string }[];
}

function release(v: string): [number, number, number] | null {
  const m = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** The newest release of `minor` in `served` (what `go list -m -versions k8s.io/kubernetes` printed); pre-releases are ignored. */
export function newestListed(minor: string, served: readonly string[]): string | null {
  const patches = served
    .map(release)
    .filter((r): r is [number, number, number] => r !== null && `${r[0]}.${r[1]}` === minor)
    .sort((a, b) => b[2] - a[2]);
  return patches[0] ? patches[0].join(".") : null;
}

/**
 * For each minor to test (supported, or released and waiting for support; rules.ts minorsToTest), the release pinned in `pinned` (testbed/versions.ts MATRIX_RELEASES).
 * `only`, when not empty, limits the run to these minors ("1.32") or exact releases ("1.32.13"); an
 * exact release replaces the pinned one (its wrapper module is generated if missing).
 */
export function planReleases(
  minors: readonly { minor: string }[],
  pinned: Readonly<Record<string, string>>,
  served: readonly string[],
  only: readonly string[] = [],
): Plan {
  const plan: Plan = { releases: [], untestable: [], newerListed: [] };
  for (const { minor } of minors) {
    const exact = only.find((o) => release(o) && o.replace(/^v/, "").startsWith(`${minor}.`));
    if (only.length && !exact && !only.includes(minor)) continue;
    const version = exact ? exact.replace(/^v/, "") : pinned[minor];
    if (!version) {
      plan.untestable.push(minor);
      continue;
    }
    plan.releases.push({ minor, version });
    const listed = newestListed(minor, served);
    const [v, l] = [release(version)!, listed ? release(listed)! : null];
    if (listed && l && l[2] > v[2]) plan.newerListed.push({ minor, pinned: version, listed });
  }
  return plan;
}

/** What vitest's JSON reporter says about a run (the fields used here). */
export interface VitestReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
}

/** Pass only when vitest exited 0 and every test ran and passed: a skipped or empty suite is no pass. */
export function outcome(exitCode: number | null, report: VitestReport | null): "pass" | "fail" {
  if (exitCode !== 0 || !report) return "fail";
  return report.success && report.numTotalTests > 0 && report.numPassedTests === report.numTotalTests ? "pass" : "fail";
}

/** Replaces the result for the same release (one entry per release tested), newest release first. */
export function mergeResults(existing: readonly SmokeResult[], fresh: readonly SmokeResult[]): SmokeResult[] {
  const byVersion = new Map(existing.map((r) => [r.kubernetesVersion, r]));
  for (const r of fresh) byVersion.set(r.kubernetesVersion, r);
  const merged = [...byVersion.values()].sort((a, b) => {
    const [x, y] = [release(a.kubernetesVersion)!, release(b.kubernetesVersion)!];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
  });
  return SmokeResultsFileSchema.parse({ results: merged }).results;
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function resultsFileText(results: readonly SmokeResult[]): string {
  const ordered = results.map((r) => ({
    kubernetesVersion: r.kubernetesVersion,
    result: r.result,
    date: r.date,
    commit: r.commit,
  }));
  return JSON.stringify({ results: ordered }, null, 2) + "\n";
}
