import { describe, expect, it } from "vitest";
import { SMOKE_RESULTS, latestResultFor, parseSmokeResults, type SmokeResult } from "./results";
import { currentSupportedMinors } from "./policy";

const pass = (kubernetesVersion: string, date: string, result: "pass" | "fail" = "pass"): SmokeResult => ({
  kubernetesVersion,
  result,
  date,
  commit: "e75d682",
});

describe("smoke-results.json", () => {
  it("is valid", () => {
    expect(Array.isArray(SMOKE_RESULTS)).toBe(true);
  });
  it("has a passing result for every minor supported today (support starts when the suite passes)", () => {
    for (const m of currentSupportedMinors()) {
      expect(SMOKE_RESULTS.some((r) => r.result === "pass" && r.kubernetesVersion.startsWith(`${m.minor}.`))).toBe(
        true,
      );
    }
  });
  it("a supported minor without an entry has no result (shown as not tested yet)", () => {
    for (const m of currentSupportedMinors()) {
      const tested = SMOKE_RESULTS.some((r) => r.kubernetesVersion.startsWith(`${m.minor}.`));
      expect(latestResultFor(m.minor) !== null).toBe(tested);
    }
  });
});

describe("parseSmokeResults", () => {
  it("accepts well-formed entries", () => {
    const results = [pass("1.33.13", "2025-09-01T10:00:00Z"), pass("1.32.9", "2025-09-01T10:05:00+02:00", "fail")];
    expect(parseSmokeResults({ results })).toEqual(results);
    expect(parseSmokeResults({ results: [] })).toEqual([]);
    const beta = [pass("1.38.0-beta.0", "2026-11-10T10:00:00Z"), pass("1.38.0-rc.1", "2026-11-20T10:00:00Z")];
    expect(parseSmokeResults({ results: beta })).toEqual(beta);
  });
  it.each([
    ["a missing list", {}],
    ["a minor-only version", { results: [{ ...pass("1.33", "2025-09-01T10:00:00Z") }] }],
    ["a provider suffix", { results: [{ ...pass("1.33.4-gke.1", "2025-09-01T10:00:00Z") }] }],
    ["a pre-release of another kind", { results: [{ ...pass("1.38.0-gamma.0", "2025-09-01T10:00:00Z") }] }],
    ["an unknown result", { results: [{ ...pass("1.33.4", "2025-09-01T10:00:00Z"), result: "skipped" }] }],
    ["a date without time", { results: [pass("1.33.4", "2025-09-01")] }],
    ["a non-hex commit", { results: [{ ...pass("1.33.4", "2025-09-01T10:00:00Z"), commit: "HEAD" }] }],
    ["an extra field", { results: [{ ...pass("1.33.4", "2025-09-01T10:00:00Z"), note: "x" }] }],
  ])("rejects %s", (_name, data) => {
    expect(() => parseSmokeResults(data)).toThrow();
  });
});

describe("latestResultFor", () => {
  const results = [
    pass("1.33.12", "2025-08-01T00:00:00Z"),
    pass("1.33.13", "2025-09-01T00:00:00Z", "fail"),
    pass("1.32.9", "2025-07-01T00:00:00Z"),
    pass("1.3.1", "2025-10-01T00:00:00Z"),
  ];
  it("picks the newest run of that minor", () => {
    expect(latestResultFor("1.33", results)).toMatchObject({ kubernetesVersion: "1.33.13", result: "fail" });
    expect(latestResultFor("1.32", results)).toMatchObject({ kubernetesVersion: "1.32.9" });
  });
  it("does not confuse 1.3 with 1.33, and returns null for an untested minor", () => {
    expect(latestResultFor("1.3", results)).toMatchObject({ kubernetesVersion: "1.3.1" });
    expect(latestResultFor("1.31", results)).toBeNull();
  });
});
