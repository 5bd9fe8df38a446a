import { describe, expect, it } from "vitest";
import type { SmokeResult } from "../lib/versions/results";
import { mergeResults, newestListed, outcome, planReleases, resultsFileText } from "./test-versions-plan";

/** The minors to test, newest first (as rules.ts computes them for a day). */
const SUPPORTED_MINORS = [{ minor: "1.33" }, { minor: "1.32" }, { minor: "1.31" }];

// What `go list -m -versions k8s.io/kubernetes` printed for these minors on 2026-11-25.
const served = [
  "v1.30.4",
  "v1.30.14",
  "v1.31.0",
  "v1.31.14",
  "v1.32.2",
  "v1.32.13",
  "v1.33.6",
  "v1.33.13",
  "v1.34.0",
  "v1.34.4",
  "v1.35.0-alpha.1",
];

describe("planReleases", () => {
  const pinned = { "1.33": "1.33.13", "1.32": "1.32.2", "1.31": "1.31.13" };
  it("takes the pinned release of each supported minor, newest minor first, and notes newer listed patches", () => {
    expect(planReleases(SUPPORTED_MINORS, pinned, served)).toEqual({
      releases: [
        { minor: "1.33", version: "1.33.13" },
        { minor: "1.32", version: "1.32.2" },
        { minor: "1.31", version: "1.31.13" },
      ],
      untestable: [],
      newerListed: [
        { minor: "1.32", pinned: "1.32.2", listed: "1.32.13" },
        { minor: "1.31", pinned: "1.31.13", listed: "1.31.14" },
      ],
    });
  });
  it("reports a supported minor with no release to test", () => {
    const plan = planReleases(SUPPORTED_MINORS, { "1.33": "1.33.13", "1.31": "1.31.13" }, served);
    expect(plan.releases.map((r) => r.version)).toEqual(["1.33.13", "1.31.13"]);
    expect(plan.untestable).toEqual(["1.32"]);
  });
  it("limits the run to the minors or exact releases asked for", () => {
    expect(planReleases(SUPPORTED_MINORS, pinned, served, ["1.32"]).releases).toEqual([
      { minor: "1.32", version: "1.32.2" },
    ]);
    expect(planReleases(SUPPORTED_MINORS, pinned, served, ["v1.31.14", "1.33"]).releases).toEqual([
      { minor: "1.33", version: "1.33.13" },
      { minor: "1.31", version: "1.31.14" },
    ]);
    expect(planReleases(SUPPORTED_MINORS, pinned, served, ["1.34"]).releases).toEqual([]);
  });
  it("finds the newest listed patch of a minor, ignoring pre-releases", () => {
    expect(newestListed("1.32", served)).toBe("1.32.13");
    expect(newestListed("1.35", served)).toBeNull();
  });
});

describe("outcome", () => {
  const report = { success: true, numTotalTests: 4, numPassedTests: 4, numFailedTests: 0 };
  it("passes only a clean run in which every test ran and passed", () => {
    expect(outcome(0, report)).toBe("pass");
    expect(outcome(1, { ...report, success: false, numPassedTests: 3, numFailedTests: 1 })).toBe("fail");
    expect(outcome(0, { ...report, numPassedTests: 3 })).toBe("fail"); // one skipped
    expect(outcome(0, { ...report, numTotalTests: 0, numPassedTests: 0 })).toBe("fail"); // nothing ran
    expect(outcome(0, null)).toBe("fail");
    expect(outcome(null, report)).toBe("fail");
  });
});

describe("mergeResults", () => {
  const r = (kubernetesVersion: string, result: "pass" | "fail", date: string): SmokeResult => ({
    kubernetesVersion,
    result,
    date,
    commit: "abcdef1",
  });
  it("keeps one entry per release, the fresh one winning, newest release first", () => {
    const merged = mergeResults(
      [r("1.31.14", "fail", "2026-01-01T00:00:00Z"), r("1.33.13", "pass", "2026-01-01T00:00:00Z")],
      [r("1.31.14", "pass", "2026-02-01T00:00:00Z"), r("1.32.13", "pass", "2026-02-01T00:00:00Z")],
    );
    expect(merged.map((m) => `${m.kubernetesVersion}:${m.result}`)).toEqual([
      "1.33.13:pass",
      "1.32.13:pass",
      "1.31.14:pass",
    ]);
  });
  it("refuses a malformed result", () => {
    expect(() => mergeResults([], [{ ...r("1.32.13", "pass", "yesterday") }])).toThrow();
  });
  it("writes stable JSON", () => {
    expect(resultsFileText([r("1.32.13", "pass", "2026-02-01T00:00:00Z")])).toBe(
      '{\n  "results": [\n    {\n      "kubernetesVersion": "1.32.13",\n      "result": "pass",\n      "date": "2026-02-01T00:00:00Z",\n      "commit": "abcdef1"\n    }\n  ]\n}\n',
    );
  });
});
