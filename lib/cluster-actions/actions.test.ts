import { describe, expect, it } from "vitest";
import {
  actionRequest,
  actionsFor,
  describeAction,
  drainablePods,
  evictionFor,
  podsOnNodePath,
  requestFor,
  reviewFor,
  reviewsFor,
  singular,
} from "./actions";

const now = new Date("2026-11-30T15:00:00Z");

describe("actionsFor", () => {
  it("offers each kind what kubectl offers it; namespaces cannot be deleted from a button, Secrets not edited", () => {
    expect(actionsFor("/apis/apps/v1/namespaces/a/deployments")).toEqual(["restart", "scale", "edit", "delete"]);
    expect(actionsFor("/apis/apps/v1/daemonsets")).toEqual(["restart", "edit", "delete"]);
    expect(actionsFor("/apis/apps/v1/replicasets")).toEqual(["scale", "edit", "delete"]);
    expect(actionsFor("/apis/batch/v1/cronjobs")).toEqual(["suspend", "resume", "trigger", "edit", "delete"]);
    expect(actionsFor("/api/v1/nodes")).toEqual(["cordon", "uncordon", "drain", "edit", "delete"]);
    expect(actionsFor("/api/v1/namespaces/a/pods")).toEqual(["edit", "delete"]);
    expect(actionsFor("/api/v1/namespaces/a/secrets")).toEqual(["delete"]);
    expect(actionsFor("/api/v1/namespaces")).toEqual(["edit"]);
  });
});

describe("reviewFor", () => {
  it("asks about the verb, group, resource, subresource and object the request will use", () => {
    const t = { path: "/apis/apps/v1/deployments", namespace: "shop", name: "web" };
    expect(reviewFor("scale", t)).toEqual({
      group: "apps",
      resource: "deployments",
      subresource: "scale",
      verb: "patch",
      namespace: "shop",
      name: "web",
    });
    expect(reviewFor("delete", { path: "/api/v1/namespaces/shop/pods", name: "web-1" })).toEqual({
      group: "",
      resource: "pods",
      verb: "delete",
      namespace: "shop",
      name: "web-1",
    });
    // Editing YAML replaces the object (PUT), which RBAC calls update.
    expect(reviewFor("edit", { path: "/api/v1/namespaces/a/configmaps", name: "settings" })).toEqual({
      group: "",
      resource: "configmaps",
      verb: "update",
      namespace: "a",
      name: "settings",
    });
    // Triggering a CronJob creates a Job in its namespace.
    expect(reviewFor("trigger", { path: "/apis/batch/v1/namespaces/ops/cronjobs", name: "backup" })).toEqual({
      group: "batch",
      resource: "jobs",
      namespace: "ops",
      verb: "create",
    });
  });
});

describe("requestFor", () => {
  it("scales through the scale subresource with a merge patch", () => {
    const r = actionRequest.parse({
      action: "scale",
      path: "/apis/apps/v1/deployments",
      namespace: "a",
      name: "web",
      replicas: 3,
    });
    expect(requestFor(r, now)).toEqual({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/a/deployments/web/scale",
      headers: { "content-type": "application/merge-patch+json", accept: "application/json" },
      body: '{"spec":{"replicas":3}}',
    });
  });

  it("restarts a rollout as kubectl does, with the restartedAt annotation on the pod template", () => {
    const r = actionRequest.parse({ action: "restart", path: "/apis/apps/v1/namespaces/a/statefulsets", name: "db" });
    const req = requestFor(r, now);
    expect(req.path).toBe("/apis/apps/v1/namespaces/a/statefulsets/db");
    expect(JSON.parse(req.body!)).toEqual({
      spec: {
        template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-30T15:00:00.000Z" } } },
      },
    });
  });

  it("deletes in the background, cordons and suspends with merge patches", () => {
    const del = requestFor(
      actionRequest.parse({ action: "delete", path: "/api/v1/pods", namespace: "a", name: "p" }),
      now,
    );
    expect(del.method).toBe("DELETE");
    expect(del.path).toBe("/api/v1/namespaces/a/pods/p");
    expect(JSON.parse(del.body!)).toMatchObject({ propagationPolicy: "Background" });
    const cordon = requestFor(actionRequest.parse({ action: "cordon", path: "/api/v1/nodes", name: "n1" }), now);
    expect([cordon.path, cordon.body]).toEqual(["/api/v1/nodes/n1", '{"spec":{"unschedulable":true}}']);
    const resume = requestFor(
      actionRequest.parse({ action: "resume", path: "/apis/batch/v1/cronjobs", namespace: "o", name: "c" }),
      now,
    );
    expect(resume.body).toBe('{"spec":{"suspend":false}}');
  });

  it("triggers a Job from the CronJob's template, owned by the CronJob, with a short unique name", () => {
    const r = actionRequest.parse({
      action: "trigger",
      path: "/apis/batch/v1/cronjobs",
      namespace: "ops",
      name: "backup",
    });
    const req = requestFor(r, now, {
      metadata: { name: "backup", uid: "u-1" },
      spec: {
        jobTemplate: { metadata: { labels: { app: "backup" } }, spec: { template: { spec: { containers: [] } } } },
      },
    });
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/apis/batch/v1/namespaces/ops/jobs");
    const job = JSON.parse(req.body!) as { metadata: Record<string, unknown>; spec: unknown };
    expect(job.metadata.name).toMatch(/^backup-manual-[a-z0-9]+$/);
    expect(job.metadata.labels).toEqual({ app: "backup" });
    expect(job.metadata.annotations).toEqual({ "cronjob.kubernetes.io/instantiate": "manual" });
    expect(job.metadata.ownerReferences).toEqual([
      { apiVersion: "batch/v1", kind: "CronJob", name: "backup", uid: "u-1", controller: true },
    ]);
    expect(job.spec).toEqual({ template: { spec: { containers: [] } } });
    const long = "x".repeat(60);
    const named = JSON.parse(requestFor({ ...r, name: long }, now, { metadata: { name: long } }).body!) as {
      metadata: { name: string };
    };
    expect(named.metadata.name.length).toBeLessThanOrEqual(63);
  });
});

describe("actionRequest", () => {
  it.each([
    [
      { action: "scale", path: "/apis/apps/v1/deployments", namespace: "a", name: "w", replicas: -1 },
      "replicas cannot be negative",
    ],
    [
      { action: "scale", path: "/apis/apps/v1/deployments", namespace: "a", name: "w", replicas: 1.5 },
      "replicas must be a whole number",
    ],
    [
      { action: "scale", path: "/apis/apps/v1/deployments", namespace: "a", name: "w", replicas: null },
      "replicas must be a whole number",
    ],
    [
      { action: "delete", path: "/etc/passwd", name: "w" },
      "path must be a Kubernetes collection, e.g. /api/v1/namespaces/default/pods",
    ],
    [{ action: "delete", path: "/api/v1/pods", namespace: "a", name: "../x" }, "not a Kubernetes name"],
  ])("refuses %j with a specific message", (input, message) => {
    const r = actionRequest.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it("refuses an action it does not know", () => {
    expect(actionRequest.safeParse({ action: "reboot", path: "/api/v1/nodes", name: "n" }).success).toBe(false);
  });
});

describe("describeAction", () => {
  it("says what was done in the words the page and the audit log use", () => {
    expect(
      describeAction(
        actionRequest.parse({
          action: "scale",
          path: "/apis/apps/v1/deployments",
          namespace: "a",
          name: "web",
          replicas: 2,
        }),
      ),
    ).toBe("Scaled deployment a/web to 2");
    expect(
      describeAction(actionRequest.parse({ action: "delete", path: "/api/v1/namespaces/a/pods", name: "p" })),
    ).toBe("Deleted pod a/p");
  });
});

describe("drain", () => {
  it("needs the node patched, pods listed and evictions created, everywhere", () => {
    expect(reviewsFor("drain", { path: "/api/v1/nodes", name: "n1" })).toEqual([
      { group: "", resource: "nodes", verb: "patch", name: "n1" },
      { group: "", resource: "pods", verb: "list" },
      { group: "", resource: "pods", subresource: "eviction", verb: "create" },
    ]);
    expect(reviewsFor("delete", { path: "/api/v1/nodes", name: "n1" })).toHaveLength(1);
  });

  it("starts with a cordon, then evicts every pod but DaemonSet and mirror pods", () => {
    const cordon = requestFor(actionRequest.parse({ action: "drain", path: "/api/v1/nodes", name: "n1" }), now);
    expect([cordon.method, cordon.path, cordon.body]).toEqual([
      "PATCH",
      "/api/v1/nodes/n1",
      '{"spec":{"unschedulable":true}}',
    ]);
    expect(podsOnNodePath("n1")).toBe("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1");
    const pods = [
      { metadata: { name: "web-1", namespace: "shop", ownerReferences: [{ kind: "ReplicaSet", controller: true }] } },
      { metadata: { name: "agent-x", namespace: "ops", ownerReferences: [{ kind: "DaemonSet", controller: true }] } },
      {
        metadata: { name: "etcd-n1", namespace: "kube-system", annotations: { "kubernetes.io/config.mirror": "abc" } },
      },
      { metadata: { name: "solo", namespace: "shop" } },
    ];
    expect(drainablePods(pods).map((p) => p.metadata.name)).toEqual(["web-1", "solo"]);
    expect(evictionFor(pods[0]!)).toEqual({
      method: "POST",
      path: "/api/v1/namespaces/shop/pods/web-1/eviction",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1","namespace":"shop"}}',
    });
  });
});

describe("Flux objects", () => {
  it("reconcile, suspend and resume every Flux kind, as flux reconcile/suspend/resume do", () => {
    expect(actionsFor("/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations")).toEqual([
      "reconcile",
      "suspend",
      "resume",
      "edit",
      "delete",
    ]);
    expect(actionsFor("/apis/source.toolkit.fluxcd.io/v1beta2/namespaces/f/ocirepositories")).toContain("reconcile");
    expect(actionsFor("/apis/example.com/v1/widgets")).toEqual(["edit", "delete"]);
    const target = {
      path: "/apis/source.toolkit.fluxcd.io/v1/gitrepositories",
      namespace: "flux-system",
      name: "fleet",
    };
    expect(reviewFor("reconcile", target)).toEqual({
      group: "source.toolkit.fluxcd.io",
      resource: "gitrepositories",
      namespace: "flux-system",
      name: "fleet",
      verb: "patch",
    });
  });

  it("asks for a reconcile with a merge patch of the requestedAt annotation, and suspends through spec.suspend", () => {
    const r = actionRequest.parse({
      action: "reconcile",
      path: "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
      namespace: "flux-system",
      name: "apps",
    });
    expect(requestFor(r, now)).toEqual({
      method: "PATCH",
      path: "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps",
      headers: { "content-type": "application/merge-patch+json", accept: "application/json" },
      body: '{"metadata":{"annotations":{"reconcile.fluxcd.io/requestedAt":"2026-11-30T15:00:00.000Z"}}}',
    });
    expect(describeAction(r)).toBe("Asked Flux to reconcile kustomization flux-system/apps");
    const suspend = actionRequest.parse({
      ...r,
      action: "suspend",
      path: "/apis/source.toolkit.fluxcd.io/v1/gitrepositories",
    });
    expect(requestFor(suspend, now).body).toBe('{"spec":{"suspend":true}}');
    expect(describeAction(suspend)).toBe("Suspended gitrepository flux-system/apps");
  });
});

describe("singular", () => {
  it("names one object of a resource", () => {
    expect(["deployments", "gitrepositories", "ingresses", "helmreleases", "nodes"].map(singular)).toEqual([
      "deployment",
      "gitrepository",
      "ingress",
      "helmrelease",
      "node",
    ]);
  });
});
