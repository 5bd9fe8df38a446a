import { describe, expect, it } from "vitest";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import { discoverFlux, summarizeFlux } from "./discover";

/** A cluster that answers the paths given and 404 to anything else, recording what it was asked. */
function cluster(answers: Record<string, unknown>) {
  const asked: string[] = [];
  return {
    asked,
    async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
      asked.push(r.path);
      const a = answers[r.path];
      if (a instanceof Error) throw a;
      if (a === undefined)
        throw new UpstreamStatusError(
          404,
          '{"kind":"Status","message":"the server could not find the requested resource"}',
        );
      return a as T;
    },
  };
}

const ready = (name: string, status: "True" | "False") => ({
  metadata: { name, namespace: "flux-system" },
  status: { conditions: [{ type: "Ready", status }] },
});

const SOURCE_AND_KUSTOMIZE = {
  "/apis/source.toolkit.fluxcd.io": {
    preferredVersion: { version: "v1" },
    versions: [{ version: "v1" }, { version: "v1beta2" }],
  },
  "/apis/source.toolkit.fluxcd.io/v1": { resources: [{ name: "gitrepositories" }, { name: "gitrepositories/status" }] },
  "/apis/source.toolkit.fluxcd.io/v1beta2": { resources: [{ name: "gitrepositories" }, { name: "ocirepositories" }] },
  "/apis/kustomize.toolkit.fluxcd.io": { preferredVersion: { version: "v1" }, versions: [{ version: "v1" }] },
  "/apis/kustomize.toolkit.fluxcd.io/v1": { resources: [{ name: "kustomizations" }] },
};

describe("discoverFlux", () => {
  it("finds each kind at the version the cluster serves it, and says which are missing", async () => {
    const c = cluster(SOURCE_AND_KUSTOMIZE);
    const found = await discoverFlux(c, "a1", undefined);
    expect(found.served.map((k) => `${k.kind} ${k.version}`)).toEqual([
      "GitRepository v1",
      "OCIRepository v1beta2",
      "Kustomization v1",
    ]);
    expect(found.missing).toEqual(["HelmRepository", "HelmRelease"]);
  });

  it("finds nothing on a cluster without Flux's CRDs", async () => {
    expect(await discoverFlux(cluster({}), "a1", undefined)).toEqual({
      served: [],
      missing: ["GitRepository", "OCIRepository", "HelmRepository", "Kustomization", "HelmRelease"],
    });
  });

  it("passes on failures other than 404, so the page does not say Flux is absent when it cannot tell", async () => {
    const c = cluster({ "/apis/source.toolkit.fluxcd.io": new UpstreamStatusError(503, "etcd is away") });
    await expect(discoverFlux(c, "a1", undefined)).rejects.toThrow(/503/);
  });
});

describe("summarizeFlux", () => {
  it("counts objects and those not Ready per kind; a kind the viewer may not list is named, not counted", async () => {
    const c = cluster({
      ...SOURCE_AND_KUSTOMIZE,
      "/apis/source.toolkit.fluxcd.io/v1/gitrepositories": { items: [ready("fleet", "True"), ready("apps", "False")] },
      "/apis/source.toolkit.fluxcd.io/v1beta2/ocirepositories": new UpstreamStatusError(
        403,
        '{"kind":"Status","message":"forbidden"}',
      ),
      "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations": { items: [ready("apps", "True")] },
    });
    expect(await summarizeFlux(c, "a1", undefined)).toEqual({
      installed: true,
      objects: 3,
      notReady: 1,
      suspended: 0,
      byKind: [
        { kind: "GitRepository", objects: 2, notReady: 1 },
        { kind: "OCIRepository", objects: 0, notReady: 0 },
        { kind: "Kustomization", objects: 1, notReady: 0 },
      ],
      refused: ["OCIRepository"],
    });
    expect(await summarizeFlux(cluster({}), "a1", undefined)).toEqual({ installed: false });
  });
});
