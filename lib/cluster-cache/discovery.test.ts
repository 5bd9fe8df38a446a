import { describe, expect, it } from "vitest";
import { DISCOVERY_CONCURRENCY, discoverResources, listableResources, printerColumnsOf } from "./discovery";

describe("discovery", () => {
  it("keeps listable, watchable top-level resources and drops subresources", () => {
    const found = listableResources("source.toolkit.fluxcd.io", "v1", {
      resources: [
        {
          name: "gitrepositories",
          kind: "GitRepository",
          namespaced: true,
          verbs: ["get", "list", "watch", "create"],
          shortNames: ["gitrepo"],
        },
        { name: "gitrepositories/status", kind: "GitRepository", namespaced: true, verbs: ["get", "patch"] },
        { name: "tokenreviews", kind: "TokenReview", namespaced: false, verbs: ["create"] },
      ],
    });
    expect(found).toEqual([
      {
        group: "source.toolkit.fluxcd.io",
        version: "v1",
        resource: "gitrepositories",
        kind: "GitRepository",
        namespaced: true,
        shortNames: ["gitrepo"],
      },
    ]);
  });

  it("reads the core group and each group's preferred version, and leaves out a group version that fails", async () => {
    const asked: string[] = [];
    const client = {
      async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
        asked.push(r.path);
        if (r.path === "/apis")
          return {
            groups: [
              { name: "apps", preferredVersion: { version: "v1" }, versions: [{ version: "v1" }] },
              { name: "metrics.k8s.io", versions: [{ version: "v1beta1" }] },
            ],
          } as T;
        if (r.path === "/api/v1")
          return {
            resources: [
              {
                name: "persistentvolumeclaims",
                kind: "PersistentVolumeClaim",
                namespaced: true,
                verbs: ["list", "watch"],
              },
              { name: "bindings", kind: "Binding", namespaced: true, verbs: ["create"] },
            ],
          } as T;
        if (r.path === "/apis/apps/v1")
          return {
            resources: [{ name: "deployments", kind: "Deployment", namespaced: true, verbs: ["list", "watch"] }],
          } as T;
        throw new Error("503 service unavailable");
      },
    };
    expect(await discoverResources(client as never, "a1", undefined)).toEqual([
      { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true },
      { group: "", version: "v1", resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
    ]);
    expect(asked.sort()).toEqual([
      "/api/v1",
      "/apis",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
      "/apis/apps/v1",
      "/apis/metrics.k8s.io/v1beta1",
    ]);
  });

  it("gives a custom resource its CRD's printer columns for the served version, priority 0 only", async () => {
    const crds = {
      items: [
        {
          spec: {
            group: "source.toolkit.fluxcd.io",
            names: { plural: "gitrepositories" },
            versions: [
              {
                name: "v1",
                served: true,
                additionalPrinterColumns: [
                  { name: "URL", type: "string", jsonPath: ".spec.url" },
                  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
                  { name: "Wide", type: "string", jsonPath: ".spec.ref", priority: 1 },
                ],
              },
              {
                name: "v1beta1",
                served: false,
                additionalPrinterColumns: [{ name: "Old", type: "string", jsonPath: ".spec.old" }],
              },
            ],
          },
        },
      ],
    };
    expect(printerColumnsOf(crds)).toEqual(
      new Map([
        [
          "gitrepositories.source.toolkit.fluxcd.io/v1",
          [
            { name: "URL", type: "string", jsonPath: ".spec.url" },
            { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          ],
        ],
      ]),
    );
    const client = {
      async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
        if (r.path === "/apis")
          return { groups: [{ name: "source.toolkit.fluxcd.io", versions: [{ version: "v1" }] }] } as T;
        if (r.path === "/api/v1") return { resources: [] } as T;
        if (r.path.endsWith("/customresourcedefinitions")) return crds as T;
        return {
          resources: [{ name: "gitrepositories", kind: "GitRepository", namespaced: true, verbs: ["list", "watch"] }],
        } as T;
      },
    };
    const [found] = await discoverResources(client as never, "a1", undefined);
    expect(found?.columns?.map((c) => c.name)).toEqual(["URL", "Ready"]);
  });

  it("still lists custom resources, without printer columns, when the viewer may not read CRDs", async () => {
    const client = {
      async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
        if (r.path === "/apis")
          return { groups: [{ name: "source.toolkit.fluxcd.io", versions: [{ version: "v1" }] }] } as T;
        if (r.path.endsWith("/customresourcedefinitions")) throw new Error("403 forbidden");
        if (r.path === "/api/v1") return { resources: [] } as T;
        return {
          resources: [{ name: "gitrepositories", kind: "GitRepository", namespaced: true, verbs: ["list", "watch"] }],
        } as T;
      },
    };
    expect(await discoverResources(client as never, "a1", undefined)).toEqual([
      {
        group: "source.toolkit.fluxcd.io",
        version: "v1",
        resource: "gitrepositories",
        kind: "GitRepository",
        namespaced: true,
      },
    ]);
  });

  it("asks at most a few group versions at once", async () => {
    let inFlight = 0;
    let most = 0;
    const groups = Array.from({ length: 20 }, (_, i) => ({ name: `g${i}.example.com`, versions: [{ version: "v1" }] }));
    const client = {
      async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
        if (r.path === "/apis") return { groups } as T;
        if (r.path.endsWith("/customresourcedefinitions")) return { items: [] } as T;
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return { resources: [{ name: "things", kind: "Thing", namespaced: true, verbs: ["list", "watch"] }] } as T;
      },
    };
    expect(await discoverResources(client as never, "a1", undefined)).toHaveLength(21); // the core group's too
    expect(most).toBe(DISCOVERY_CONCURRENCY);
  });
});
