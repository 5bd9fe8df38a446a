// The agent configuration's YAML rules: every refusal names the line of the problem.
import { describe, expect, it } from "vitest";
import { ConfigError, parseAgentConfig, shareEntries, sharingDiff } from "./parse";

function refusal(text: string): { message: string; line: number | null } {
  try {
    parseAgentConfig(text);
  } catch (e) {
    if (e instanceof ConfigError) return { message: e.message, line: e.line };
    throw e;
  }
  throw new Error("accepted");
}

describe("agent configuration errors name the line", () => {
  it("invalid YAML: the parser's line, once", () => {
    expect(refusal("ci_access:\n  projects:\n    - id: a/b\n   bad: [\n")).toEqual({
      message: "line 4: All mapping items must start at the same column",
      line: 4,
    });
    expect(refusal("ci_access: {}\nci_access: {}\n")).toEqual({ message: "line 2: Map keys must be unique", line: 2 });
    expect(refusal("ci_access:\n\tprojects: []\n")).toEqual({
      message: "line 2: Tabs are not allowed as indentation",
      line: 2,
    });
  });

  it("an unknown key: the line of the key itself", () => {
    expect(refusal("ci_access:\n  projects:\n    - id: a/b\n      acess_as: { agent: {} }\n")).toEqual({
      message: 'line 4: ci_access.projects.0: unknown key "acess_as"',
      line: 4,
    });
    expect(refusal("# comment\ngitops: {}\n")).toEqual({ message: 'line 2: unknown key "gitops"', line: 2 });
    expect(refusal("ci_access:\n  projects: [{ id: a/b, foo: 1 }]\n")).toEqual({
      message: 'line 2: ci_access.projects.0: unknown key "foo"',
      line: 2,
    });
  });

  it("the flux section: known keys, booleans and namespace names, each refusal on its line", () => {
    expect(parseAgentConfig("flux:\n  enabled: false\n  namespaces: [flux-system, apps]\n").flux).toEqual({
      enabled: false,
      namespaces: ["flux-system", "apps"],
    });
    expect(refusal("ci_access: {}\nflux:\n  enabled: yes please\n")).toEqual({
      message: "line 3: flux.enabled: enabled must be true or false",
      line: 3,
    });
    expect(refusal("flux:\n  namespaces:\n    - flux-system\n    - Not_A_Namespace\n")).toEqual({
      message: "line 4: flux.namespaces.1: namespaces: each must be a Kubernetes namespace name",
      line: 4,
    });
    expect(refusal("flux:\n  namespace: [a]\n")).toEqual({ message: 'line 2: flux: unknown key "namespace"', line: 2 });
  });

  it("a bad access_as: ci_access acts as agent or ci_job, user_access as agent or user", () => {
    expect(refusal("ci_access:\n  projects:\n    - id: a/b\n      access_as: { user: {} }\n")).toEqual({
      message: "line 4: ci_access.projects.0.access_as: access_as must be { agent: {} } or { ci_job: {} }",
      line: 4,
    });
    expect(refusal("user_access:\n  access_as:\n    ci_job: {}\n  groups:\n    - id: g\n")).toEqual({
      message: "line 3: user_access.access_as: access_as must be { agent: {} } or { user: {} }",
      line: 3,
    });
    expect(refusal("user_access:\n  access_as: user\n")).toMatchObject({ line: 2 });
  });

  it("other values: namespace names, empty ids, a list at the top", () => {
    expect(refusal("ci_access:\n  groups:\n    - id: g\n      default_namespace: Bad_NS\n")).toEqual({
      message: "line 4: ci_access.groups.0.default_namespace: default_namespace must be a Kubernetes namespace name",
      line: 4,
    });
    expect(refusal('ci_access:\n  projects: [{ id: "" }]\n').message).toBe(
      "line 2: ci_access.projects.0.id: id must name a project (group/project) or a group",
    );
    expect(refusal("- a\n- b\n").line).toBe(1);
  });

  it("too large: refused without a line", () => {
    expect(refusal(`# ${"x".repeat(64 * 1024)}\n`)).toEqual({
      message: "configuration is too large (limit 64 KiB)",
      line: null,
    });
  });

  it("accepts the GitLab shape, and an empty file", () => {
    expect(parseAgentConfig("")).toEqual({});
    expect(parseAgentConfig("# nothing shared yet\n")).toEqual({});
    const cfg = parseAgentConfig(
      "ci_access:\n  projects:\n    - id: Ops/App\n      default_namespace: ci\n      access_as: { ci_job: {} }\n  groups:\n    - id: ops\nuser_access:\n  access_as: { user: {} }\n  groups: [{ id: dev }]\n",
    );
    expect(shareEntries(cfg)).toEqual([
      { access: "ci_access", targetType: "project", target: "ops/app", accessAs: "ci_job", defaultNamespace: "ci" },
      { access: "ci_access", targetType: "group", target: "ops", accessAs: "agent", defaultNamespace: null },
      { access: "user_access", targetType: "group", target: "dev", accessAs: "user", defaultNamespace: null },
    ]);
  });

  it("the audit log's sharing diff lists added and removed entries", () => {
    const before = parseAgentConfig("ci_access:\n  groups: [{ id: ops }, { id: dev }]\n");
    const after = parseAgentConfig("ci_access:\n  groups: [{ id: ops, access_as: { ci_job: {} } }, { id: dev }]\n");
    expect(sharingDiff(before, after)).toEqual({
      added: "ci_access group ops as ci_job",
      removed: "ci_access group ops as agent",
    });
    expect(sharingDiff(after, after)).toEqual({ added: "", removed: "" });
  });
});
