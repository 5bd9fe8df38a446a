import { describe, expect, it } from "vitest";
import { DISCOVERY_CONCURRENCY, discoverResources, listableResources } from "./discovery";

describe("discovery", () => {
  it("keeps listable, watchable top-level resources and drops subresources", () => {
    const found = listableResources("source.toolkit.fluxcd.io", "v1", {
      resources: [
        { name: "gitrepositories", kind: "GitRepository", namespaced: true, verbs: ["get", "list", "watch", "create"] },
        { name: "gitrepositories/status", kind: "GitRepository", namespaced: true, verbs: ["get", "patch"] },
        { name: "tokenreviews", kind: "TokenReview", namespaced: false, verbs: ["create"] },
      ],
    });
    expect(found).toEqual([{ group: "source.toolkit.fluxcd.io", version: "v1", resource: "gitrepositories", kind: "GitRepository", namespaced: true }]);
  });

  it("reads each group's preferred version and leaves out a group version that fails", async () => {
    const asked: string[] = [];
    const client = {
      async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
        asked.push(r.path);
        if (r.path === "/apis") return { groups: [{ name: "apps", preferredVersion: { version: "v1" }, versions: [{ version: "v1" }] }, { name: "metrics.k8s.io", versions: [{ version: "v1beta1" }] }] } as T;
        if (r.path === "/apis/apps/v1") return { resources: [{ name: "deployments", kind: "Deployment", namespaced: true, verbs: ["list", "watch"] }] } as T;
        throw new Error("503 service unavailable");
      },
    };
    expect(await discoverResources(client as never, "a1", undefined)).toEqual([{ group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true }]);
    expect(asked).toEqual(["/apis", "/apis/apps/v1", "/apis/metrics.k8s.io/v1beta1"]);
  });

  it("asks at most a few group versions at once", async () => {
    let inFlight = 0;
    let most = 0;
    const groups = Array.from({ length: 20 }, (_, i) => ({ name: `g${i}.example.com`, versions: [{ version: "v1" }] }));
    const client = {
      async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
        if (r.path === "/apis") return { groups } as T;
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return { resources: [{ name: "things", kind: "Thing", namespaced: true, verbs: ["list", "watch"] }] } as T;
      },
    };
    expect(await discoverResources(client as never, "a1", undefined)).toHaveLength(20);
    expect(most).toBe(DISCOVERY_CONCURRENCY);
  });
});
