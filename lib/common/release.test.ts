import { describe, expect, it } from "vitest";
import { KAS_VERSION, agentIsBehind, compareReleaseVersions, parseReleaseVersion } from "./release";

describe("release versions", () => {
  it("parses plain, v-prefixed and suffixed versions, and nothing else", () => {
    expect(parseReleaseVersion("0.1.0")).toEqual([0, 1, 0]);
    expect(parseReleaseVersion("v1.12.3")).toEqual([1, 12, 3]);
    expect(parseReleaseVersion("1.2.3-rc.1")).toEqual([1, 2, 3]);
    for (const bad of ["", "1.2", "latest", "1.2.3.4", null, undefined]) expect(parseReleaseVersion(bad)).toBeNull();
  });
  it("compares numerically, not as text", () => {
    expect(compareReleaseVersions("0.9.0", "0.10.0")).toBeLessThan(0);
    expect(compareReleaseVersions("1.0.0", "0.99.99")).toBeGreaterThan(0);
    expect(compareReleaseVersions("v0.1.0", "0.1.0")).toBe(0);
    expect(compareReleaseVersions("0.1.0", "dev")).toBeNull();
  });
  it("warns only for an agent older than kas; unknown or newer agents get no warning", () => {
    expect(KAS_VERSION).toBe("0.1.0");
    expect(agentIsBehind("0.0.9")).toBe(true);
    expect(agentIsBehind("0.1.0")).toBe(false);
    expect(agentIsBehind("0.2.0")).toBe(false);
    expect(agentIsBehind(null)).toBe(false);
    expect(agentIsBehind("garbage")).toBe(false);
    expect(agentIsBehind("1.4.0", "1.5.0")).toBe(true);
  });
});
