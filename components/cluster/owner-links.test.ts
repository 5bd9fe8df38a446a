import { describe, expect, it } from "vitest";
import { customKind } from "./custom-kinds";
import { needsDiscovery, ownerLinks } from "./owner-links";

const owned = (refs: unknown[]) => ({ metadata: { name: "x", namespace: "shop", ownerReferences: refs } });

describe("owner links", () => {
  it("open a pod's ReplicaSet, a Job's CronJob and a mirror pod's Node in their drawers", () => {
    expect(
      ownerLinks(
        owned([
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-6d4cf56db6", controller: true },
          { apiVersion: "batch/v1", kind: "CronJob", name: "nightly" },
          { apiVersion: "v1", kind: "Node", name: "node-1" },
        ]),
        [],
      ),
    ).toEqual([
      {
        kind: "ReplicaSet",
        name: "web-6d4cf56db6",
        controller: true,
        view: { kind: "replicasets", namespace: "shop", open: "shop/web-6d4cf56db6" },
      },
      {
        kind: "CronJob",
        name: "nightly",
        controller: false,
        view: { kind: "cronjobs", namespace: "shop", open: "shop/nightly" },
      },
      { kind: "Node", name: "node-1", controller: false, view: { kind: "nodes", namespace: "", open: "/node-1" } },
    ]);
  });

  it("find a custom resource's owner among the discovered kinds, and leave an unknown one unlinked", () => {
    const helmReleases = customKind({
      group: "helm.toolkit.fluxcd.io",
      version: "v2",
      resource: "helmreleases",
      kind: "HelmRelease",
      namespaced: true,
    });
    const o = owned([
      { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", name: "podinfo", controller: true },
      { apiVersion: "example.com/v1", kind: "Widget", name: "w" },
    ]);
    expect(needsDiscovery(o)).toBe(true);
    expect(ownerLinks(o, [helmReleases])).toEqual([
      {
        kind: "HelmRelease",
        name: "podinfo",
        controller: true,
        view: { kind: "helm.toolkit.fluxcd.io/v2/helmreleases", namespace: "shop", open: "shop/podinfo" },
      },
      { kind: "Widget", name: "w", controller: false, view: null },
    ]);
    expect(needsDiscovery(owned([{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "r" }]))).toBe(false);
    expect(ownerLinks({ metadata: { name: "lonely" } }, [])).toEqual([]);
  });
});
