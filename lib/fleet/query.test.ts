// The fleet's URL: what a person can put in it, what is refused naming the field, and that writing the
// query back gives the same address (so a shared link shows the same filtered view).
import { describe, expect, it } from "vitest";
import { Invalid } from "@/lib/errors";
import { fleetQueryString, isFleetFiltered, parseFleetQuery } from "./query";

describe("the fleet query", () => {
  it("reads the filters, search and sort, and writes them back unchanged", () => {
    const q = parseFleetQuery(
      new URLSearchParams("not_connected=1&unsupported=true&skew=0&q=%20Ops%2FInfra&sort=lastContact&dir=desc"),
    );
    expect(q).toEqual({
      not_connected: true,
      unsupported: true,
      skew: false,
      q: "ops/infra",
      sort: "lastContact",
      dir: "desc",
    });
    expect(fleetQueryString(q)).toBe("not_connected=1&unsupported=1&q=ops%2Finfra&sort=lastContact&dir=desc");
    expect(parseFleetQuery(new URLSearchParams(fleetQueryString(q)))).toEqual(q);
    expect(isFleetFiltered(q)).toBe(true);
  });

  it("nothing set: no filter, default order, an empty query string", () => {
    const q = parseFleetQuery({ q: "  ", sort: "" });
    expect(isFleetFiltered(q)).toBe(false);
    expect(fleetQueryString(q)).toBe("");
  });

  it("a direction without a column is left out of the address", () => {
    expect(fleetQueryString(parseFleetQuery({ dir: "desc" }))).toBe("");
  });

  it.each([
    [{ unsupported: "yes" }, "unsupported", "Write 1 to switch this filter on, 0 or nothing for off"],
    [{ sort: "nodes" }, "sort", "Sort by one of: agent, project, status, agentVersion, kubernetesVersion, lastContact"],
    [{ dir: "up" }, "dir", "Sort direction is asc or desc"],
    [{ q: "x".repeat(101) }, "q", "Search is too long (at most 100 characters)"],
  ])("refuses %j naming the field", (params, field, message) => {
    let error: unknown;
    try {
      parseFleetQuery(params);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect(error).toMatchObject({ field, message });
  });
});
