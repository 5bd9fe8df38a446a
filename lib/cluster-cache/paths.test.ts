import { describe, expect, it } from "vitest";
import { collectionPath, objectPath } from "./paths";

describe("live view paths", () => {
  it("accept collections cluster-wide or in a namespace, and nothing else", () => {
    for (const ok of [
      "/api/v1/pods",
      "/api/v1/namespaces/default/configmaps",
      "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories",
      "/apis/storage.k8s.io/v1/storageclasses",
    ])
      expect(collectionPath.safeParse(ok).success).toBe(true);
    for (const bad of ["/api/v1/namespaces/default/pods/web", "/api/v1/../secrets", "/metrics", "/api/v1/pods?watch=1"])
      expect(collectionPath.safeParse(bad).success).toBe(false);
  });

  it("name one object of a collection, in its namespace", () => {
    expect(objectPath("/api/v1/pods", "apps", "web")).toBe("/api/v1/namespaces/apps/pods/web");
    expect(objectPath("/api/v1/namespaces/apps/pods", undefined, "web")).toBe("/api/v1/namespaces/apps/pods/web");
    expect(objectPath("/api/v1/nodes", undefined, "node-1")).toBe("/api/v1/nodes/node-1");
    expect(objectPath("/apis/source.toolkit.fluxcd.io/v1/gitrepositories", "flux-system", "podinfo")).toBe(
      "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/podinfo",
    );
  });
});
