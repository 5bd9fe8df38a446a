// The Sharing tab's edits of the YAML: entries added, changed and removed in place, how a block's
// grants act changed on its own, comments kept, and the result always valid.
import { describe, expect, it } from "vitest";
import { Conflict } from "@/lib/errors";
import { parseAgentConfig, shareEntries } from "./parse";
import {
  addShareSchema,
  blockAccess,
  setAccessAsSchema,
  withAccessAsSet,
  withShareAdded,
  withShareRemoved,
} from "./sharing";

const add = (yaml: string, input: Record<string, string>) => withShareAdded(yaml, addShareSchema.parse(input));

describe("sharing edits the configuration", () => {
  it("adds to an empty configuration", () => {
    const r = add("", {
      access: "ci_access",
      targetType: "group",
      target: "Ops",
      accessAs: "ci_job",
      defaultNamespace: "ci",
    });
    expect(r.change).toBe("added");
    expect(r.yaml).toBe(
      "ci_access:\n  groups:\n    - id: ops\n      default_namespace: ci\n      access_as: { ci_job: {} }\n",
    );
    expect(shareEntries(parseAgentConfig(r.yaml))).toEqual([
      { access: "ci_access", targetType: "group", target: "ops", accessAs: "ci_job", defaultNamespace: "ci" },
    ]);
  });

  it("keeps comments and other entries; appends to an existing list", () => {
    const yaml = "# Clusters for the ops team\nci_access:\n  projects:\n    - id: ops/app # the app\n";
    const r = add(yaml, { access: "ci_access", targetType: "project", target: "ops/web", accessAs: "agent" });
    expect(r.yaml).toBe(
      "# Clusters for the ops team\nci_access:\n  projects:\n    - id: ops/app # the app\n    - id: ops/web\n",
    );
    const hand = add("{}\n", { access: "user_access", targetType: "project", target: "ops/web", accessAs: "agent" });
    expect(hand.yaml).toBe("user_access:\n  projects:\n    - id: ops/web\n");
  });

  it("changes the default namespace of a CI grant that is already there, in place; the same grant twice is refused", () => {
    const yaml = "ci_access:\n  groups:\n    - id: ops\n    - id: dev\n";
    const r = add(yaml, { access: "ci_access", targetType: "group", target: "OPS", defaultNamespace: "ops-ci" });
    expect(r.change).toBe("updated");
    expect(r.yaml).toBe("ci_access:\n  groups:\n    - id: ops\n      default_namespace: ops-ci\n    - id: dev\n");
    expect(() =>
      add(r.yaml, { access: "ci_access", targetType: "group", target: "ops", defaultNamespace: "ops-ci" }),
    ).toThrow(Conflict);
    expect(() =>
      add(r.yaml, { access: "ci_access", targetType: "group", target: "ops", defaultNamespace: "ops-ci" }),
    ).toThrow("The agent is already shared with group ops (CI access) this way");
    // How a grant acts is not changed by adding it again.
    expect(() => add(r.yaml, { access: "ci_access", targetType: "group", target: "ops", accessAs: "ci_job" })).toThrow(
      Conflict,
    );
  });

  it("user access has one access_as for every entry, chosen with the first grant", () => {
    let r = add("", { access: "user_access", targetType: "group", target: "dev", accessAs: "user" });
    expect(r.yaml).toBe("user_access:\n  groups:\n    - id: dev\n  access_as: { user: {} }\n");
    r = add(r.yaml, { access: "user_access", targetType: "project", target: "ops/app", accessAs: "user" });
    expect(shareEntries(parseAgentConfig(r.yaml)).map((e) => [e.target, e.accessAs])).toEqual([
      ["ops/app", "user"],
      ["dev", "user"],
    ]);
    expect(() => add(r.yaml, { access: "user_access", targetType: "group", target: "dev", accessAs: "agent" })).toThrow(
      Conflict,
    );
    expect(() => add(r.yaml, { access: "user_access", targetType: "group", target: "ops", accessAs: "agent" })).toThrow(
      'Every user access grant of this agent acts as the user (impersonated), and a new grant acts the same way. Change how all of them act first, as a step of its own ("Change" on the Sharing tab).',
    );
  });

  it("a new CI grant acts as the CI grants already do; its own choice is taken only when they differ or it is the first", () => {
    const yaml = "ci_access:\n  projects:\n    - id: ops/app\n      access_as: { ci_job: {} }\n";
    let r = add(yaml, { access: "ci_access", targetType: "group", target: "ops" });
    expect(r.entry.accessAs).toBe("ci_job");
    expect(r.yaml).toBe(
      "ci_access:\n  projects:\n    - id: ops/app\n      access_as: { ci_job: {} }\n  groups:\n    - id: ops\n      access_as: { ci_job: {} }\n",
    );
    expect(() => add(yaml, { access: "ci_access", targetType: "group", target: "ops", accessAs: "agent" })).toThrow(
      Conflict,
    );
    expect(
      add("", { access: "ci_access", targetType: "group", target: "ops", accessAs: "ci_job" }).entry.accessAs,
    ).toBe("ci_job");
    expect(add("", { access: "ci_access", targetType: "group", target: "ops" }).entry.accessAs).toBe("agent");
    // Written by hand, CI grants that act differently: the new one says how it acts.
    const mixed = `${yaml}    - id: ops/web\n`;
    expect(blockAccess(parseAgentConfig(mixed), "ci_access")).toEqual({ accessAs: "per grant", grants: 2 });
    expect(() => add(mixed, { access: "ci_access", targetType: "group", target: "ops" })).toThrow(
      "The CI access grants of this agent act in different ways: choose how this one acts",
    );
    r = add(mixed, { access: "ci_access", targetType: "group", target: "ops", accessAs: "agent" });
    expect(r.entry.accessAs).toBe("agent");
  });

  it("changing how a block's grants act is its own edit: every grant of the block, comments kept", () => {
    const yaml =
      "# who may use prod\nci_access:\n  projects:\n    - id: ops/app # the app\n      access_as: { ci_job: {} }\n    - id: ops/web\nuser_access:\n  access_as: { user: {} } # as themselves\n  groups:\n    - id: dev\n";
    const set = (block: "ci_access" | "user_access", accessAs: string) =>
      withAccessAsSet(yaml, setAccessAsSchema.parse({ block, accessAs }));
    const ua = set("user_access", "agent");
    expect(ua).toMatchObject({ from: "user", grants: 1 });
    expect(ua.yaml).toBe(
      "# who may use prod\nci_access:\n  projects:\n    - id: ops/app # the app\n      access_as: { ci_job: {} }\n    - id: ops/web\nuser_access:\n  groups:\n    - id: dev\n",
    );
    const ci = set("ci_access", "ci_job");
    expect(ci).toMatchObject({ from: "per grant", grants: 2 });
    expect(ci.yaml).toBe(
      "# who may use prod\nci_access:\n  projects:\n    - id: ops/app # the app\n      access_as: { ci_job: {} }\n    - id: ops/web\n      access_as: { ci_job: {} }\nuser_access:\n  access_as: { user: {} } # as themselves\n  groups:\n    - id: dev\n",
    );
    expect(withAccessAsSet(ci.yaml, { block: "ci_access", accessAs: "agent" }).yaml).toBe(
      "# who may use prod\nci_access:\n  projects:\n    - id: ops/app # the app\n    - id: ops/web\nuser_access:\n  access_as: { user: {} } # as themselves\n  groups:\n    - id: dev\n",
    );
    expect(() => set("user_access", "user")).toThrow(
      "Every user access grant of this agent already acts as the user (impersonated)",
    );
    expect(() => withAccessAsSet("", { block: "user_access", accessAs: "user" })).toThrow(Conflict);
    expect(setAccessAsSchema.safeParse({ block: "ci_access", accessAs: "user" }).error?.issues[0]).toMatchObject({
      path: ["accessAs"],
      message: "CI access acts as the agent or as the CI job, not as a user",
    });
    expect(setAccessAsSchema.safeParse({ block: "user_access", accessAs: "user", target: "x" }).success).toBe(false);
  });

  it("adding a user access grant never changes how the members of the others act", () => {
    const yaml = "user_access:\n  access_as: { user: {} } # members act as themselves\n  groups:\n    - id: dev\n";
    // "Acts as: the agent's service account" on a new grant must not give dev's members the agent's rights.
    expect(() =>
      add(yaml, { access: "user_access", targetType: "project", target: "ops/app", accessAs: "agent" }),
    ).toThrow(Conflict);
    const r = add(yaml, { access: "user_access", targetType: "project", target: "ops/app" });
    expect(r.yaml).toBe(
      "user_access:\n  access_as: { user: {} } # members act as themselves\n  groups:\n    - id: dev\n  projects:\n    - id: ops/app\n",
    );
    expect(shareEntries(parseAgentConfig(r.yaml)).map((e) => [e.target, e.accessAs])).toEqual([
      ["ops/app", "user"],
      ["dev", "user"],
    ]);
  });

  it("refuses access_as and namespaces that do not fit the kind of access", () => {
    const bad = (input: Record<string, string>) => addShareSchema.safeParse(input).error?.issues[0];
    expect(bad({ access: "ci_access", targetType: "group", target: "g", accessAs: "user" })).toMatchObject({
      path: ["accessAs"],
      message: "CI access acts as the agent or as the CI job, not as a user",
    });
    expect(bad({ access: "user_access", targetType: "group", target: "g", accessAs: "ci_job" })).toMatchObject({
      path: ["accessAs"],
    });
    expect(bad({ access: "user_access", targetType: "group", target: "g", defaultNamespace: "ci" })).toMatchObject({
      path: ["defaultNamespace"],
      message: "A default namespace applies to CI access only",
    });
    expect(
      bad({ access: "ci_access", targetType: "group", target: "g", defaultNamespace: "Not_A_Namespace" }),
    ).toMatchObject({ path: ["defaultNamespace"] });
    expect(bad({ access: "ci_access", targetType: "team", target: "g" })).toMatchObject({ path: ["targetType"] });
    expect(bad({ access: "ci_access", targetType: "group", target: "  " })).toMatchObject({ path: ["target"] });
  });

  it("removes an entry and the lists and maps it leaves empty, keeping the rest", () => {
    const yaml =
      "# ops clusters\nci_access:\n  projects:\n    - id: ops/app\n  groups:\n    - id: ops # everyone in ops\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: dev\n";
    let r = withShareRemoved(yaml, { access: "ci_access", targetType: "project", target: "ops/app" });
    expect(r.removed).toMatchObject({ target: "ops/app", accessAs: "agent" });
    expect(r.yaml).toBe(
      "# ops clusters\nci_access:\n  groups:\n    - id: ops # everyone in ops\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: dev\n",
    );
    r = withShareRemoved(r.yaml, { access: "user_access", targetType: "group", target: "dev" });
    expect(r.yaml).toBe("# ops clusters\nci_access:\n  groups:\n    - id: ops # everyone in ops\n");
    r = withShareRemoved(r.yaml, { access: "ci_access", targetType: "group", target: "ops" });
    expect(parseAgentConfig(r.yaml)).toEqual({});
    expect(() => withShareRemoved(r.yaml, { access: "ci_access", targetType: "group", target: "ops" })).toThrow(
      "The agent is not shared with group ops (CI access); it may have been removed already. Reload to see the current sharing.",
    );
  });
});
