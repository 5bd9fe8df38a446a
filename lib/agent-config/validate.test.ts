// The configuration editor lists every problem at once, each with its line, before anything is sent.
import { describe, expect, it } from "vitest";
import { describeProblem, validateAgentConfig } from "./validate";

const problems = (text: string) => {
  const r = validateAgentConfig(text);
  if (r.ok) throw new Error("accepted");
  return r.problems.map(describeProblem);
};

describe("validateAgentConfig", () => {
  it("lists every schema problem at once, in line order, each with its line", () => {
    expect(
      problems(
        [
          "ci_access:",
          "  projects:",
          "    - id: a/b",
          "      default_namespace: Bad_NS",
          "user_access:",
          "  access_as: { ci_job: {} }",
          "gitops: {}",
        ].join("\n"),
      ),
    ).toEqual([
      "line 4: ci_access.projects.0.default_namespace: default_namespace must be a Kubernetes namespace name",
      "line 6: user_access.access_as: access_as must be { agent: {} } or { user: {} }",
      'line 7: unknown key "gitops"',
    ]);
  });

  it("lists every YAML syntax error and does not check the schema of a document that does not parse", () => {
    const found = problems("ci_access: {}\nci_access: {}\nuser_access:\n\tgroups: []\n");
    expect(found).toEqual(["line 2: Map keys must be unique", "line 4: Tabs are not allowed as indentation"]);
  });

  it("accepts a valid configuration and returns its data", () => {
    expect(validateAgentConfig("user_access:\n  access_as: { user: {} }\n  groups: [{ id: dev }]\n")).toEqual({
      ok: true,
      data: { user_access: { access_as: { user: {} }, groups: [{ id: "dev" }] } },
    });
    expect(validateAgentConfig("")).toEqual({ ok: true, data: {} });
  });

  it("counts the size in UTF-8 bytes, as the server's limit does", () => {
    expect(problems(`# ${"é".repeat(33 * 1024)}\n`)).toEqual(["configuration is too large (limit 64 KiB)"]);
  });
});
