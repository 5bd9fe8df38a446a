// The rows of the version matrix: every supported minor, plus any other minor that has a smoke-test
// result (a newer one tested before it is supported, or an old one still being run), newest first.
import {
  SUPPORTED_MINORS,
  endOfSupportText,
  minorStatus,
  parseMinor,
  supportStatus,
  type SupportStatus,
  type SupportedMinor,
} from "./policy";
import { SMOKE_RESULTS, latestResultFor, type SmokeResult } from "./results";

export interface MatrixRow {
  minor: string;
  status: SupportStatus;
  /** The end-of-support condition for a supported minor, or why another minor is unsupported. */
  condition: string;
  /** The latest smoke-test result for this minor; null: not tested yet. */
  smoke: SmokeResult | null;
}

export function versionMatrix(
  minors: readonly SupportedMinor[] = SUPPORTED_MINORS,
  results: readonly SmokeResult[] = SMOKE_RESULTS,
): MatrixRow[] {
  const rows: MatrixRow[] = minors.map((m) => ({
    minor: m.minor,
    status: minorStatus(m.minor, minors)!,
    condition: endOfSupportText(m),
    smoke: latestResultFor(m.minor, results),
  }));
  const listed = new Set(rows.map((r) => r.minor));
  for (const r of results) {
    const [major, minor] = r.kubernetesVersion.split(".");
    const key = `${major}.${minor}`;
    if (listed.has(key)) continue;
    listed.add(key);
    const verdict = supportStatus(r.kubernetesVersion, minors);
    rows.push({ minor: key, status: verdict.status, condition: verdict.detail, smoke: latestResultFor(key, results) });
  }
  return rows.sort((a, b) => {
    const [am, an] = parseMinor(a.minor)!;
    const [bm, bn] = parseMinor(b.minor)!;
    return bm - am || bn - an;
  });
}
