import { describe, expect, it } from "vitest";
import { checkLabelSelector, matchesLabelSelector, parseLabelSelector } from "./label-selector";

describe("label selectors", () => {
  it("reads every form the API server reads, spaces allowed", () => {
    expect(parseLabelSelector(" app = web , tier!=db,env in ( a, b ),!legacy, track ,n>2,m<-1,x==y")).toEqual([
      { key: "app", op: "=", value: "web" },
      { key: "tier", op: "!=", value: "db" },
      { key: "env", op: "in", values: ["a", "b"] },
      { key: "legacy", op: "!exists" },
      { key: "track", op: "exists" },
      { key: "n", op: ">", value: 2 },
      { key: "m", op: "<", value: -1 },
      { key: "x", op: "=", value: "y" },
    ]);
    expect(parseLabelSelector("app.kubernetes.io/name notin (web,api)")).toEqual([
      { key: "app.kubernetes.io/name", op: "notin", values: ["web", "api"] },
    ]);
    expect(parseLabelSelector("")).toEqual([]);
    expect(parseLabelSelector("   ")).toEqual([]);
    // An empty value is a value.
    expect(parseLabelSelector("app=")).toEqual([{ key: "app", op: "=", value: "" }]);
  });

  it("writes a selector one way, so the same filter shares one watch", () => {
    expect(checkLabelSelector(" app = web,env in (a ,b) , ! old")).toEqual({
      ok: true,
      selector: "app=web,env in (a,b),!old",
    });
  });

  it.each([
    ["app=web,", 'a requirement must follow the last ","'],
    ["app web", 'after "app" expected =, ==, !=, in, notin, > or <, found "web"'],
    ["env in (a,b", 'the list after "env in" is not closed with ")"'],
    ["env in a", '"env in" needs a list in parentheses'],
    ["env in ()", '"env in ()" needs at least one value'],
    ["Ap$p=1", '"Ap$p" is not a label key'],
    ["app=we b", 'expected "," between requirements, found "b"'],
    ["app=-web", '"-web" is not a label value (for app)'],
    ["n>two", '"n >" needs a whole number, found "two"'],
    ["!", 'a label key must follow "!"'],
    ["=web", 'expected a label key, found "=web"'],
    ["Example.com/app=x", "its prefix must be a DNS subdomain"],
    [`app=${"a".repeat(64)}`, "is not a label value"],
  ])("%s is refused with a specific reason", (input, reason) => {
    const r = checkLabelSelector(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(reason);
  });

  it("matches as the API server does: != and notin match a missing key, > only a number", () => {
    const web = { app: "web", tier: "front", n: "3" };
    const m = (s: string, labels: Record<string, string>) => matchesLabelSelector(parseLabelSelector(s), labels);
    expect(m("app=web,tier!=db", web)).toBe(true);
    expect(m("app=web,tier=db", web)).toBe(false);
    expect(m("env!=prod", web)).toBe(true);
    expect(m("env notin (prod)", web)).toBe(true);
    expect(m("env in (prod)", web)).toBe(false);
    expect(m("tier in (back,front)", web)).toBe(true);
    expect(m("app,!env", web)).toBe(true);
    expect(m("!app", web)).toBe(false);
    expect(m("n>2,n<4", web)).toBe(true);
    expect(m("app>1", web)).toBe(false);
    expect(m("", {})).toBe(true);
  });
});
