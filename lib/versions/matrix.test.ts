import { describe, expect, it } from "vitest";
import { versionMatrix } from "./matrix";
import type { SmokeResult } from "./results";
import { POLICY_INPUT } from "./rules";

const run = (kubernetesVersion: string, date: string, result: "pass" | "fail" = "pass"): SmokeResult => ({
  kubernetesVersion,
  result,
  date,
  commit: "e75d682",
});

describe("versionMatrix", () => {
  it("attaches each minor's latest result as of the day, and ignores results from after it", () => {
    const results = [
      run("1.32.9", "2025-06-01T10:00:00Z"),
      run("1.33.2", "2025-06-02T10:00:00Z", "fail"),
      run("1.33.3", "2025-08-01T10:00:00Z"),
    ];
    const rows = versionMatrix("2025-07-01", { ...POLICY_INPUT, results, prereleases: [] });
    expect(rows.map((r) => [r.minor, r.state, r.smoke?.kubernetesVersion ?? null, r.smoke?.result ?? null])).toEqual([
      ["1.33", "supported", "1.33.2", "fail"],
      ["1.32", "supported", "1.32.9", "pass"],
      ["1.31", "ending", null, null],
      ["1.30", "ended", null, null],
    ]);
  });
  it("a failing run does not make a new minor supported", () => {
    const results = [run("1.34.1", "2025-09-01T10:00:00Z", "fail")];
    const rows = versionMatrix("2025-09-15", { ...POLICY_INPUT, results, prereleases: [] });
    expect(rows.find((r) => r.minor === "1.34")).toMatchObject({ state: "awaiting", smoke: { result: "fail" } });
  });
});
