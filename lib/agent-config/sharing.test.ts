// The Sharing tab's edits of the YAML: entries added, changed and removed in place, comments kept,
// and the result always valid.
import { describe, expect, it } from "vitest";
import { Conflict } from "@/lib/errors";
import { parseAgentConfig, shareEntries } from "./parse";
import { addShareSchema, withShareAdded, withShareRemoved } from "./sharing";

const add = (yaml: string, input: Record<string, string>) => withShareAdded(yaml, addShareSchema.parse(input));

describe("sharing edits the configuration", () => {
  it("adds to an empty configuration", () => {
    const r = add("", { access: "ci_access", targetType: "group", target: "Ops", accessAs: "ci_job", defaultNamespace: "ci" });
    expect(r.change).toBe("added");
    expect(r.yaml).toBe("ci_access:\n  groups:\n    - id: ops\n      default_namespace: ci\n      access_as: { ci_job: {} }\n");
    expect(shareEntries(parseAgentConfig(r.yaml))).toEqual([{ access: "ci_access", targetType: "group", target: "ops", accessAs: "ci_job", defaultNamespace: "ci" }]);
  });

  it("keeps comments and other entries; appends to an existing list", () => {
    const yaml = "# Clusters for the ops team\nci_access:\n  projects:\n    - id: ops/app # the app\n";
    const r = add(yaml, { access: "ci_access", targetType: "project", target: "ops/web", accessAs: "agent" });
    expect(r.yaml).toBe("# Clusters for the ops team\nci_access:\n  projects:\n    - id: ops/app # the app\n    - id: ops/web\n");
    const hand = add("{}\n", { access: "user_access", targetType: "project", target: "ops/web", accessAs: "agent" });
    expect(hand.yaml).toBe("user_access:\n  projects:\n    - id: ops/web\n");
  });

  it("changes an entry that is already there, in place; the same entry twice is refused", () => {
    const yaml = "ci_access:\n  groups:\n    - id: ops\n    - id: dev\n";
    const r = add(yaml, { access: "ci_access", targetType: "group", target: "OPS", accessAs: "ci_job" });
    expect(r.change).toBe("updated");
    expect(r.yaml).toBe("ci_access:\n  groups:\n    - id: ops\n      access_as: { ci_job: {} }\n    - id: dev\n");
    expect(() => add(r.yaml, { access: "ci_access", targetType: "group", target: "ops", accessAs: "ci_job" })).toThrow(Conflict);
    expect(() => add(r.yaml, { access: "ci_access", targetType: "group", target: "ops", accessAs: "ci_job" })).toThrow("The agent is already shared with group ops (CI access) this way");
  });

  it("user access has one access_as for every entry", () => {
    let r = add("", { access: "user_access", targetType: "group", target: "dev", accessAs: "user" });
    expect(r.yaml).toBe("user_access:\n  groups:\n    - id: dev\n  access_as: { user: {} }\n");
    r = add(r.yaml, { access: "user_access", targetType: "project", target: "ops/app", accessAs: "user" });
    expect(shareEntries(parseAgentConfig(r.yaml)).map((e) => [e.target, e.accessAs])).toEqual([["ops/app", "user"], ["dev", "user"]]);
    r = add(r.yaml, { access: "user_access", targetType: "group", target: "dev", accessAs: "agent" });
    expect(r.change).toBe("updated");
    expect(parseAgentConfig(r.yaml).user_access?.access_as).toBeUndefined();
  });

  it("refuses access_as and namespaces that do not fit the kind of access", () => {
    const bad = (input: Record<string, string>) => addShareSchema.safeParse(input).error?.issues[0];
    expect(bad({ access: "ci_access", targetType: "group", target: "g", accessAs: "user" })).toMatchObject({ path: ["accessAs"], message: "CI access acts as the agent or as the CI job, not as a user" });
    expect(bad({ access: "user_access", targetType: "group", target: "g", accessAs: "ci_job" })).toMatchObject({ path: ["accessAs"] });
    expect(bad({ access: "user_access", targetType: "group", target: "g", defaultNamespace: "ci" })).toMatchObject({ path: ["defaultNamespace"], message: "A default namespace applies to CI access only" });
    expect(bad({ access: "ci_access", targetType: "group", target: "g", defaultNamespace: "Not_A_Namespace" })).toMatchObject({ path: ["defaultNamespace"] });
    expect(bad({ access: "ci_access", targetType: "team", target: "g" })).toMatchObject({ path: ["targetType"] });
    expect(bad({ access: "ci_access", targetType: "group", target: "  " })).toMatchObject({ path: ["target"] });
  });

  it("removes an entry and the lists and maps it leaves empty, keeping the rest", () => {
    const yaml = "# ops clusters\nci_access:\n  projects:\n    - id: ops/app\n  groups:\n    - id: ops # everyone in ops\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: dev\n";
    let r = withShareRemoved(yaml, { access: "ci_access", targetType: "project", target: "ops/app" });
    expect(r.removed).toMatchObject({ target: "ops/app", accessAs: "agent" });
    expect(r.yaml).toBe("# ops clusters\nci_access:\n  groups:\n    - id: ops # everyone in ops\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: dev\n");
    r = withShareRemoved(r.yaml, { access: "user_access", targetType: "group", target: "dev" });
    expect(r.yaml).toBe("# ops clusters\nci_access:\n  groups:\n    - id: ops # everyone in ops\n");
    r = withShareRemoved(r.yaml, { access: "ci_access", targetType: "group", target: "ops" });
    expect(parseAgentConfig(r.yaml)).toEqual({});
    expect(() => withShareRemoved(r.yaml, { access: "ci_access", targetType: "group", target: "ops" })).toThrow(
      "The agent is not shared with group ops (CI access); it may have been removed already. Reload to see the current sharing.",
    );
  });
});
