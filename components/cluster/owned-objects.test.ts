import { describe, expect, it } from "vitest";
import { ownedKind, ownedLinks } from "./owned-objects";
import type { KubeItem } from "./kinds";

const item = (
  name: string,
  uid: string,
  owners: string[],
  created: string,
  extra: Partial<KubeItem> = {},
): KubeItem => ({
  metadata: {
    name,
    namespace: "shop",
    uid,
    creationTimestamp: created,
    ownerReferences: owners.map((o) => ({ apiVersion: "apps/v1", kind: "X", name: "owner", uid: o })),
  } as KubeItem["metadata"],
  ...extra,
});

describe("owned objects", () => {
  it("a Deployment owns ReplicaSets, a ReplicaSet, StatefulSet, DaemonSet or Job pods, a CronJob jobs; others none", () => {
    expect(ownedKind("deployments")?.kind.key).toBe("replicasets");
    expect(ownedKind("deployments")?.name).toBe("ReplicaSet");
    for (const k of ["replicasets", "statefulsets", "daemonsets", "jobs"]) expect(ownedKind(k)?.kind.key).toBe("pods");
    expect(ownedKind("cronjobs")).toMatchObject({ name: "Job", kind: { key: "jobs" } });
    expect(ownedKind("configmaps")).toBeNull();
    expect(ownedKind("pods")).toBeNull();
    // The same value each time: the drawer's memos depend on it.
    expect(ownedKind("jobs")).toBe(ownedKind("jobs"));
  });

  it("are the objects whose ownerReferences carry the owner's uid, newest first, each opening its drawer", () => {
    const deployment = item("web", "d-1", [], "2026-01-01T00:00:00Z");
    const rs = (name: string, owner: string, created: string, ready: number) =>
      item(name, `rs-${name}`, [owner], created, { spec: { replicas: 2 }, status: { readyReplicas: ready } });
    const links = ownedLinks(deployment, ownedKind("deployments")!, [
      rs("web-old", "d-1", "2026-01-01T00:00:00Z", 0),
      rs("web-new", "d-1", "2026-01-02T00:00:00Z", 2),
      rs("api-1", "d-2", "2026-01-03T00:00:00Z", 1),
      item("unowned", "u", [], "2026-01-04T00:00:00Z"),
    ]);
    expect(links.map((l) => [l.kind, l.name, l.view])).toEqual([
      ["ReplicaSet", "web-new", { kind: "replicasets", namespace: "shop", open: "shop/web-new" }],
      ["ReplicaSet", "web-old", { kind: "replicasets", namespace: "shop", open: "shop/web-old" }],
    ]);
    expect(links[0]!.status).toBe(ownedKind("deployments")!.kind.status(rs("x", "d-1", "", 2)));
    // An owner not yet read whole (no uid) owns nothing rather than everything.
    expect(ownedLinks({ metadata: { name: "web" } }, ownedKind("deployments")!, [rs("x", "", "", 0)])).toEqual([]);
  });
});
