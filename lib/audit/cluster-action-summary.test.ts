import { describe, expect, it } from "vitest";
import { summarize } from "./audit-pages";

const names = {
  agents: new Map([["a1", { name: "prod", project: "platform/infra" }]]),
  deletedAgents: new Map<string, string>(),
  projects: new Map<string, string>(),
  groups: new Map<string, string>(),
  users: new Map<string, string>(),
};
const event = (details: Record<string, unknown>) => ({
  id: "e1",
  createdAt: new Date(0),
  actorId: "u1",
  action: "cluster.action",
  targetType: "agent",
  targetId: "a1",
  details: JSON.stringify(details),
  ip: null,
  actor: { username: "alice" },
});
const say = (d: Record<string, unknown>) => summarize(event(d), d, names);

describe("the audit log's sentence for an action from the live view", () => {
  it("says what was done to which object in whose cluster", () => {
    expect(
      say({
        verb: "scale",
        resource: "deployments",
        namespace: "shop",
        name: "web",
        replicas: 3,
        outcome: "done",
        status: 200,
      }),
    ).toBe("Scaled deployment shop/web to 3 in the cluster of agent prod (platform/infra)");
    expect(say({ verb: "cordon", resource: "nodes", namespace: null, name: "n1", outcome: "done", status: 200 })).toBe(
      "Cordoned node n1 in the cluster of agent prod (platform/infra)",
    );
    expect(
      say({ verb: "edit", resource: "configmaps", namespace: "shop", name: "settings", outcome: "done", status: 200 }),
    ).toBe("Edited the YAML of configmap shop/settings in the cluster of agent prod (platform/infra)");
  });

  it("says a refused attempt was refused, with the cluster's status", () => {
    expect(
      say({ verb: "delete", resource: "pods", namespace: "shop", name: "web-1", outcome: "refused", status: 403 }),
    ).toBe("Tried to delete pod shop/web-1 in the cluster of agent prod (platform/infra); the cluster refused (403)");
    expect(
      say({
        verb: "edit",
        resource: "configmaps",
        namespace: "shop",
        name: "settings",
        outcome: "refused",
        status: 409,
      }),
    ).toBe(
      "Tried to edit the YAML of configmap shop/settings in the cluster of agent prod (platform/infra); the cluster refused (409)",
    );
  });
});

describe("the audit log's sentence for an action from the GitOps tab", () => {
  it("names the Flux object as one of its kind, reconciled or refused", () => {
    const d = { resource: "gitrepositories", namespace: "flux-system", name: "fleet", status: 200 };
    expect(say({ ...d, verb: "reconcile", outcome: "done" })).toBe(
      "Asked Flux to reconcile gitrepository flux-system/fleet in the cluster of agent prod (platform/infra)",
    );
    expect(say({ ...d, verb: "suspend", outcome: "refused", status: 403 })).toBe(
      "Tried to suspend gitrepository flux-system/fleet in the cluster of agent prod (platform/infra); the cluster refused (403)",
    );
  });
});

describe("the audit log's sentence for a shell", () => {
  const exec = (d: Record<string, unknown>) => summarize({ ...event(d), action: "cluster.exec" }, d, names);
  const base = { namespace: "shop", pod: "web-1", container: "main", command: "sh", identity: "tether:user:alice" };
  it("says what ran where, for how long and how it ended", () => {
    expect(exec({ ...base, outcome: "exited", exitCode: 0, durationSeconds: 42.5 })).toBe(
      "Ran a shell (sh in container main of pod shop/web-1) in the cluster of agent prod (platform/infra) for 42.5 s (the command exited, exit code 0)",
    );
    expect(exec({ ...base, outcome: "session_ended", durationSeconds: 3 })).toBe(
      "Ran a shell (sh in container main of pod shop/web-1) in the cluster of agent prod (platform/infra) for 3 s (the user's sessions ended)",
    );
  });
  it("says a refused shell was refused, with the cluster's status", () => {
    expect(exec({ ...base, outcome: "refused", status: 403, durationSeconds: 0.1 })).toBe(
      "Tried to open a shell (sh in container main of pod shop/web-1) in the cluster of agent prod (platform/infra); the cluster refused (403)",
    );
  });
});
