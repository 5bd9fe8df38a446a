// The CI smoke-test results per Kubernetes version: lib/versions/smoke-results.json, written by the
// version-matrix run and committed. It starts empty; a version without an entry is "not tested yet",
// and the page never claims otherwise. Browser code reaches this (the agent page's version badge).
import { z } from "zod";
import raw from "./smoke-results.json";

export const SmokeResultSchema = z.strictObject({
  /** The exact release tested, e.g. "1.33.13", or a pre-release such as "1.38.0-beta.0" (a preview). */
  kubernetesVersion: z
    .string()
    .regex(
      /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(alpha|beta|rc)\.(0|[1-9]\d*))?$/,
      "a release version like 1.33.13 or a pre-release like 1.38.0-beta.0",
    ),
  result: z.enum(["pass", "fail"]),
  /** When the run finished, ISO 8601 with a time zone. */
  date: z.iso.datetime({ offset: true }),
  /** The Tether commit that was tested. */
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, "a git commit hash"),
});
export type SmokeResult = z.infer<typeof SmokeResultSchema>;

export const SmokeResultsFileSchema = z.strictObject({ results: z.array(SmokeResultSchema) });
export type SmokeResultsFile = z.infer<typeof SmokeResultsFileSchema>;

/** Validates the file's content; throws with the zod issues when it is malformed. */
export function parseSmokeResults(data: unknown): SmokeResult[] {
  return SmokeResultsFileSchema.parse(data).results;
}

/** The committed results (validated once, at load: a malformed file fails the build). */
export const SMOKE_RESULTS: readonly SmokeResult[] = parseSmokeResults(raw);

/** The most recent result for a minor version ("1.33"), or null when that minor has not been tested. */
export function latestResultFor(minor: string, results: readonly SmokeResult[] = SMOKE_RESULTS): SmokeResult | null {
  let latest: SmokeResult | null = null;
  for (const r of results) {
    const [major, min] = r.kubernetesVersion.split(".");
    if (`${major}.${min}` !== minor) continue;
    if (!latest || Date.parse(r.date) > Date.parse(latest.date)) latest = r;
  }
  return latest;
}
