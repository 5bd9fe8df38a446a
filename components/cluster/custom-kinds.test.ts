import { describe, expect, it } from "vitest";
import { customKind, customKinds } from "./custom-kinds";

const gitRepositories = {
  group: "source.toolkit.fluxcd.io",
  version: "v1",
  resource: "gitrepositories",
  kind: "GitRepository",
  namespaced: true,
};

describe("custom kinds", () => {
  it("builds namespaced and cluster-wide paths for a discovered resource", () => {
    const k = customKind(gitRepositories);
    expect(k.path("flux-system")).toBe("/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories");
    expect(k.path(null)).toBe("/apis/source.toolkit.fluxcd.io/v1/gitrepositories");
    expect(
      customKind({
        group: "example.com",
        version: "v1alpha1",
        resource: "widgets",
        kind: "Widget",
        namespaced: false,
      }).path("ignored"),
    ).toBe("/apis/example.com/v1alpha1/widgets");
  });

  it("puts the core group's extras under /api/v1", () => {
    const k = customKind({
      group: "",
      version: "v1",
      resource: "persistentvolumeclaims",
      kind: "PersistentVolumeClaim",
      namespaced: true,
    });
    expect(k.key).toBe("core/v1/persistentvolumeclaims");
    expect(k.label).toBe("PersistentVolumeClaim");
    expect(k.path("apps")).toBe("/api/v1/namespaces/apps/persistentvolumeclaims");
    expect(k.path(null)).toBe("/api/v1/persistentvolumeclaims");
  });

  it("shows a CRD's printer columns, without a second Age", () => {
    const k = customKind({
      ...gitRepositories,
      columns: [
        { name: "URL", type: "string", jsonPath: ".spec.url" },
        { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      ],
    });
    const repo = {
      metadata: { name: "podinfo" },
      spec: { url: "https://example.com/podinfo" },
      status: { conditions: [{ type: "Ready", status: "False" }] },
    };
    expect(k.columns?.map((c) => [c.name, c.value(repo, 0)])).toEqual([
      ["URL", "https://example.com/podinfo"],
      ["Ready", "False"],
    ]);
  });

  it("shows the Ready condition as status", () => {
    const k = customKind(gitRepositories);
    expect(
      k.status({
        metadata: { name: "x" },
        status: { conditions: [{ type: "Ready", status: "False", reason: "GitOperationFailed" }] },
      }),
    ).toBe("Not ready: GitOperationFailed");
  });

  it("leaves out kinds the view already offers and lists Flux first", () => {
    const kinds = customKinds([
      { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true },
      { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true },
      { group: "cert-manager.io", version: "v1", resource: "certificates", kind: "Certificate", namespaced: true },
      {
        group: "kustomize.toolkit.fluxcd.io",
        version: "v1",
        resource: "kustomizations",
        kind: "Kustomization",
        namespaced: true,
      },
      gitRepositories,
    ]);
    expect(kinds.map((k) => k.label)).toEqual([
      "GitRepository (source.toolkit.fluxcd.io)",
      "Kustomization (kustomize.toolkit.fluxcd.io)",
      "Certificate (cert-manager.io)",
    ]);
  });
});
