import { describe, expect, it } from "vitest";
import {
  POLICY,
  endOfSupportText,
  minorStatus,
  parseClusterVersion,
  policyProblems,
  supportStatus,
  type SupportedMinor,
} from "./policy";
import { POLICY_INPUT, supportedMinorsAt } from "./rules";

/** The table the policy started with (mid-2025), computed by the rules from the calendar alone. */
const SUPPORTED_MINORS = supportedMinorsAt("2025-07-01", { ...POLICY_INPUT, results: [] });

describe("the policy as it started (2025)", () => {
  it("supports 1.33, 1.32 and 1.31 with their end conditions", () => {
    expect(SUPPORTED_MINORS.map((m) => [m.minor, endOfSupportText(m)])).toEqual([
      ["1.33", "Support ends with release 19.2 (2026-07-16) or when 1.36 becomes supported"],
      ["1.32", "Support ends with release 18.10 (2026-03-19) or when 1.35 becomes supported"],
      ["1.31", "Support ends with release 18.7 (2025-12-18) or when 1.34 becomes supported"],
    ]);
  });
  it("states its rules", () => {
    expect(POLICY.newMinorSupportedWithinMonths).toBe(3);
    expect(POLICY.minimumSupportedMinors).toBe(3);
    expect(POLICY.smokeResultsWithinWeeks).toBe(4);
    expect(POLICY.lateSupportNoticeWithinWeeks).toBe(8);
    expect(POLICY.helmVersionSkewUrl).toMatch(/^https:\/\/helm\.sh\//);
  });
});

describe("consistency of the data", () => {
  it("has no problems, as it started and as computed for today", () => {
    expect(policyProblems(SUPPORTED_MINORS)).toEqual([]);
    expect(policyProblems()).toEqual([]);
  });
  it("has at least the promised number of supported minors", () => {
    expect(SUPPORTED_MINORS.length).toBeGreaterThanOrEqual(POLICY.minimumSupportedMinors);
  });
  it("has no duplicates and is sorted newest first", () => {
    const minors = SUPPORTED_MINORS.map((m) => m.minor);
    expect(new Set(minors).size).toBe(minors.length);
    const numbers = minors.map((m) => Number(m.split(".")[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });
  it("gives every minor an end condition", () => {
    for (const m of SUPPORTED_MINORS) {
      expect(m.endsWithRelease).toMatch(/^\d+\.\d+$/);
      expect(m.endsWhenSupported).toMatch(/^\d+\.\d+$/);
    }
  });

  const good = SUPPORTED_MINORS;
  const cases: [string, SupportedMinor[], RegExp][] = [
    ["too few minors", good.slice(0, 2), /at least 3/],
    ["a duplicate", [good[0]!, good[0]!, good[1]!, good[2]!], /listed twice/],
    ["oldest first", [...good].reverse(), /newest first/],
    ["a missing end release", [good[0]!, good[1]!, { ...good[2]!, endsWithRelease: "" }], /not a release/],
    ["a missing end minor", [good[0]!, good[1]!, { ...good[2]!, endsWhenSupported: "" }], /not a minor version/],
    [
      "an end that would leave too few",
      [good[0]!, good[1]!, { ...good[2]!, endsWhenSupported: "1.33" }],
      /fewer than 3/,
    ],
    [
      "an older minor ending after a newer one",
      [good[0]!, good[1]!, { ...good[2]!, endsWithRelease: "20.1" }],
      /after the newer 1.32/,
    ],
    ["a malformed minor", [good[0]!, good[1]!, { ...good[2]!, minor: "1.x" }], /not a minor version like 1.33/],
  ];
  it.each(cases)("catches %s", (_name, minors, problem) => {
    expect(policyProblems(minors).join("\n")).toMatch(problem);
  });
});

describe("parseClusterVersion", () => {
  it.each([
    ["v1.33.4", { major: 1, minor: 33, patch: 4, suffix: "" }],
    ["1.33.4", { major: 1, minor: 33, patch: 4, suffix: "" }],
    ["v1.33.4-gke.100", { major: 1, minor: 33, patch: 4, suffix: "-gke.100" }],
    ["v1.33.4+k3s1", { major: 1, minor: 33, patch: 4, suffix: "+k3s1" }],
    ["v1.32.9-eks-3025e55", { major: 1, minor: 32, patch: 9, suffix: "-eks-3025e55" }],
    ["v1.31.0+rke2r1", { major: 1, minor: 31, patch: 0, suffix: "+rke2r1" }],
    ["v1.34.0-rc.1+abc", { major: 1, minor: 34, patch: 0, suffix: "-rc.1+abc" }],
    [" v1.33.4 ", { major: 1, minor: 33, patch: 4, suffix: "" }],
  ])("reads %j", (input, expected) => {
    expect(parseClusterVersion(input)).toEqual(expected);
  });
  it.each([
    "",
    "1.33",
    "v1",
    "latest",
    "1.33.x",
    "v1.33.4-",
    "v1.33.4+",
    "1.033.4",
    "vv1.33.4",
    "1.33.4 extra",
    "x".repeat(200),
    null,
    undefined,
  ])("rejects %j", (input) => {
    expect(parseClusterVersion(input)).toBeNull();
  });
});

describe("supportStatus", () => {
  it("1.30 is no longer supported", () => {
    expect(supportStatus("v1.30.14", SUPPORTED_MINORS)).toEqual({
      status: "unsupported",
      minor: "1.30",
      reason: "no-longer",
      detail: "No longer supported: upgrade to 1.31 or newer.",
    });
  });
  it("1.31, the oldest supported minor, is the next to leave: support ending", () => {
    expect(supportStatus("v1.31.12", SUPPORTED_MINORS)).toEqual({
      status: "ending",
      minor: "1.31",
      detail: "Support ends with release 18.7 (2025-12-18) or when 1.34 becomes supported",
      endsOn: "2025-12-18",
      endsWhenSupported: "1.34",
    });
  });
  it("1.32 is supported", () => {
    expect(supportStatus("1.32.0", SUPPORTED_MINORS).status).toBe("supported");
  });
  it("1.33 is supported", () => {
    expect(supportStatus("v1.33.4", SUPPORTED_MINORS)).toEqual({
      status: "supported",
      minor: "1.33",
      detail: "Support ends with release 19.2 (2026-07-16) or when 1.36 becomes supported",
      endsOn: "2026-07-16",
      endsWhenSupported: "1.36",
    });
  });
  it("1.34 is not supported yet", () => {
    const v = supportStatus("v1.34.1", SUPPORTED_MINORS);
    expect(v).toMatchObject({ status: "unsupported", minor: "1.34", reason: "not-yet" });
    expect(v.detail).toContain("within 3 months of their first release");
  });
  it("a provider-flavoured version is judged by its minor", () => {
    expect(supportStatus("v1.33.4-gke.100", SUPPORTED_MINORS)).toMatchObject({ status: "supported", minor: "1.33" });
    expect(supportStatus("v1.31.3+k3s1", SUPPORTED_MINORS)).toMatchObject({ status: "ending", minor: "1.31" });
  });
  it("an unparsable or missing version is unknown", () => {
    expect(supportStatus("not-a-version", SUPPORTED_MINORS)).toEqual({
      status: "unknown",
      minor: null,
      detail: '"not-a-version" is not a Kubernetes version Tether can read.',
    });
    expect(supportStatus(null, SUPPORTED_MINORS)).toMatchObject({
      status: "unknown",
      detail: "The cluster has not reported its Kubernetes version.",
    });
    expect(supportStatus("", SUPPORTED_MINORS)).toMatchObject({ status: "unknown" });
  });
  it("other majors are compared as a whole", () => {
    expect(supportStatus("2.0.0", SUPPORTED_MINORS)).toMatchObject({ status: "unsupported", reason: "not-yet" });
    expect(supportStatus("0.99.0", SUPPORTED_MINORS)).toMatchObject({ status: "unsupported", reason: "no-longer" });
  });
  it("minorStatus marks only the oldest as ending", () => {
    expect(SUPPORTED_MINORS.map((m) => minorStatus(m.minor, SUPPORTED_MINORS))).toEqual([
      "supported",
      "supported",
      "ending",
    ]);
    expect(minorStatus("1.30", SUPPORTED_MINORS)).toBeNull();
  });
});
