import { describe, expect, it } from "vitest";
import { collectionPath, liveQuery, objectPath, withLabelSelector } from "./paths";

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

  it("a live collection may carry a label selector, checked and written the one way", () => {
    const ok = withLabelSelector("/api/v1/namespaces/a/pods", "app=web,env in (a,b)");
    expect(ok).toBe("/api/v1/namespaces/a/pods?labelSelector=app%3Dweb%2Cenv+in+%28a%2Cb%29");
    expect(liveQuery.safeParse(["/api/v1/namespaces", ok]).success).toBe(true);
    expect(withLabelSelector("/api/v1/pods", "")).toBe("/api/v1/pods");
    const refused = (path: string) => liveQuery.safeParse([path]).error?.issues[0]?.message;
    expect(refused("/api/v1/pods?labelSelector=app%3D%3Dweb")).toBe('labelSelector must be written as "app=web"');
    expect(refused("/api/v1/pods?labelSelector=app+web")).toContain('after "app" expected =');
    expect(refused("/api/v1/pods?watch=1")).toBe("a collection path takes only ?labelSelector=");
    expect(refused("/api/v1/pods?labelSelector=")).toBe("labelSelector is empty: leave it out");
    expect(refused("/api/v1/pods/web?labelSelector=a")).toContain("path must be a Kubernetes collection");
  });
});
