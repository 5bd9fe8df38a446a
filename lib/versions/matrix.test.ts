import { describe, expect, it } from "vitest";
import { versionMatrix } from "./matrix";
import type { SmokeResult } from "./results";

const run = (kubernetesVersion: string, result: "pass" | "fail" = "pass"): SmokeResult => ({
  kubernetesVersion,
  result,
  date: "2025-09-01T10:00:00Z",
  commit: "e75d682",
});

describe("versionMatrix", () => {
  it("without results, lists the supported minors, the oldest ending, none tested", () => {
    expect(versionMatrix(undefined, [])).toEqual([
      {
        minor: "1.33",
        status: "supported",
        condition: "Support ends with release 19.2 or when 1.36 becomes supported",
        smoke: null,
      },
      {
        minor: "1.32",
        status: "supported",
        condition: "Support ends with release 18.10 or when 1.35 becomes supported",
        smoke: null,
      },
      {
        minor: "1.31",
        status: "ending",
        condition: "Support ends with release 18.7 or when 1.34 becomes supported",
        smoke: null,
      },
    ]);
  });
  it("attaches results to their minor and adds tested minors outside the policy, sorted", () => {
    const rows = versionMatrix(undefined, [run("1.32.9"), run("1.34.0", "fail"), run("1.30.14")]);
    expect(rows.map((r) => [r.minor, r.status, r.smoke?.result ?? null])).toEqual([
      ["1.34", "unsupported", "fail"],
      ["1.33", "supported", null],
      ["1.32", "supported", "pass"],
      ["1.31", "ending", null],
      ["1.30", "unsupported", "pass"],
    ]);
    expect(rows[0]!.condition).toMatch(/^Not supported yet/);
    expect(rows[4]!.condition).toMatch(/^No longer supported/);
  });
});
