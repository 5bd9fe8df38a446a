// Flux's CRDs from the module downloads install on the testbed: objects of each kind are accepted,
// the CRD's own validation refuses a bad one, and applying them again changes nothing.
import { describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "../cluster";
import { applyFluxCrds } from "./crds";
import { FLUX_NAMESPACE } from "./versions";

describe("Flux CRDs on the testbed", () => {
  const tb = inject("testbed");

  it("are established, accept a GitRepository and a Kustomization, and refuse a bad interval", async () => {
    const names = await applyFluxCrds(tb);
    expect(names).toEqual(
      expect.arrayContaining([
        "gitrepositories.source.toolkit.fluxcd.io",
        "ocirepositories.source.toolkit.fluxcd.io",
        "helmrepositories.source.toolkit.fluxcd.io",
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "helmreleases.helm.toolkit.fluxcd.io",
      ]),
    );
    const ns = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${FLUX_NAMESPACE}/gitrepositories`;
    const name = `crd-check-${Date.now().toString(36)}`;
    const good = await apiserverRequest(tb, "POST", ns, {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name },
      spec: { url: "http://127.0.0.1:1/none.git", interval: "10m", ref: { branch: "main" } },
    });
    expect(good.status, good.body).toBe(201);
    const bad = await apiserverRequest(tb, "POST", ns, {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: `${name}-bad` },
      spec: { url: "http://127.0.0.1:1/none.git", interval: "ten minutes" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain("spec.interval");
    const ks = await apiserverRequest(
      tb,
      "POST",
      `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${FLUX_NAMESPACE}/kustomizations`,
      {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name },
        spec: { interval: "10m", prune: true, sourceRef: { kind: "GitRepository", name } },
      },
    );
    expect(ks.status, ks.body).toBe(201);
    await apiserverRequest(tb, "DELETE", `${ns}/${name}`);
    await apiserverRequest(
      tb,
      "DELETE",
      `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${FLUX_NAMESPACE}/kustomizations/${name}`,
    );

    // A second apply (as a second test file or `testbed:up -- --flux` would do) succeeds unchanged.
    const crd = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io";
    const before = JSON.parse((await apiserverRequest(tb, "GET", crd)).body) as { metadata: { generation: number } };
    expect(await applyFluxCrds(tb)).toEqual(names);
    const after = JSON.parse((await apiserverRequest(tb, "GET", crd)).body) as { metadata: { generation: number } };
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });
});
