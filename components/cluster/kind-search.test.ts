import { describe, expect, it } from "vitest";
import { customKind } from "./custom-kinds";
import { filterKinds, kindOptions, sectionOf, type KindSection } from "./kind-search";
import { KINDS } from "./kinds";

const discovered = [
  customKind({
    group: "source.toolkit.fluxcd.io",
    version: "v1",
    resource: "gitrepositories",
    kind: "GitRepository",
    namespaced: true,
    shortNames: ["gitrepo"],
  }),
  customKind({
    group: "helm.toolkit.fluxcd.io",
    version: "v2",
    resource: "helmreleases",
    kind: "HelmRelease",
    namespaced: true,
    shortNames: ["hr"],
  }),
  customKind({
    group: "",
    version: "v1",
    resource: "persistentvolumeclaims",
    kind: "PersistentVolumeClaim",
    namespaced: true,
    shortNames: ["pvc"],
  }),
  customKind({ group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true }),
  customKind({
    group: "networking.k8s.io",
    version: "v1",
    resource: "networkpolicies",
    kind: "NetworkPolicy",
    namespaced: true,
    shortNames: ["netpol"],
  }),
];
const options = kindOptions(KINDS, discovered);
const labels = (sections: KindSection[]) => sections.flatMap((s) => s.options.map((o) => o.label));
const first = (query: string) => filterKinds(options, query)[0]?.options[0]?.key;

describe("the kind picker's search", () => {
  it("lists every kind in its section, in a fixed order, when nothing is typed", () => {
    const all = filterKinds(options, "");
    expect(all.map((s) => [s.section, s.options.map((o) => o.label)])).toEqual([
      ["Views", ["Overview"]],
      ["Workloads", ["Pods", "Deployments", "StatefulSets", "DaemonSets", "ReplicaSets", "Jobs", "CronJobs"]],
      ["Network", ["Services", "Ingresses", "NetworkPolicy (networking.k8s.io)"]],
      ["Config and storage", ["ConfigMaps", "Secrets", "PersistentVolumeClaim"]],
      ["Access control", ["ServiceAccount"]],
      ["Cluster", ["Events", "Nodes", "Namespaces"]],
      ["Custom resources", ["GitRepository (source.toolkit.fluxcd.io)", "HelmRelease (helm.toolkit.fluxcd.io)"]],
    ]);
    expect(labels(all)).toHaveLength(options.length);
  });

  it("puts kubectl's short names first: deploy, svc, cm, sts, po, hr, pvc", () => {
    expect(first("deploy")).toBe("deployments");
    expect(first("svc")).toBe("services");
    expect(first("cm")).toBe("configmaps");
    expect(first("sts")).toBe("statefulsets");
    expect(first("po")).toBe("pods");
    expect(first("ns")).toBe("namespaces");
    expect(first("hr")).toBe("helm.toolkit.fluxcd.io/v2/helmreleases");
    expect(first("PVC")).toBe("core/v1/persistentvolumeclaims");
  });

  it("finds a kind by its singular name, its plural or the start of either, in any case", () => {
    expect(first("Deployment")).toBe("deployments");
    expect(first("gitrepositories")).toBe("source.toolkit.fluxcd.io/v1/gitrepositories");
    expect(first("ingr")).toBe("ingresses");
    expect(labels(filterKinds(options, "daemon"))).toEqual(["DaemonSets"]);
    expect(labels(filterKinds(options, "SERVICEACC"))).toEqual(["ServiceAccount"]);
  });

  it("finds custom resources by their API group, whole or a dotted part of it", () => {
    expect(labels(filterKinds(options, "fluxcd"))).toEqual([
      "GitRepository (source.toolkit.fluxcd.io)",
      "HelmRelease (helm.toolkit.fluxcd.io)",
    ]);
    expect(labels(filterKinds(options, "source.toolkit.fluxcd.io"))).toEqual([
      "GitRepository (source.toolkit.fluxcd.io)",
    ]);
    // Every word must match: "flux helm" is only the HelmRelease.
    expect(labels(filterKinds(options, "flux helm"))).toEqual(["HelmRelease (helm.toolkit.fluxcd.io)"]);
  });

  it("leads with the section of the best match, and lists a whole section by its name", () => {
    // "config" starts ConfigMaps' name; the rest of Config and storage follows, other sections only on a match.
    const config = filterKinds(options, "config");
    expect(config[0]!.section).toBe("Config and storage");
    expect(config[0]!.options.map((o) => o.label)).toEqual(["ConfigMaps", "Secrets", "PersistentVolumeClaim"]);
    // "network" starts a part of networking.k8s.io (Ingresses, NetworkPolicy); Services is there by its section.
    expect(labels(filterKinds(options, "network"))).toEqual([
      "Ingresses",
      "NetworkPolicy (networking.k8s.io)",
      "Services",
    ]);
  });

  it("answers nothing for a name no kind has", () => {
    expect(filterKinds(options, "widgets")).toEqual([]);
    expect(filterKinds(options, "deploy zzz")).toEqual([]);
  });

  it("sorts discovered resources into Kubernetes' sections by group, and anything else under custom resources", () => {
    expect(sectionOf("", "persistentvolumeclaims")).toBe("Config and storage");
    expect(sectionOf("", "componentstatuses")).toBe("Cluster");
    expect(sectionOf("autoscaling", "horizontalpodautoscalers")).toBe("Workloads");
    expect(sectionOf("rbac.authorization.k8s.io", "roles")).toBe("Access control");
    expect(sectionOf("apiextensions.k8s.io", "customresourcedefinitions")).toBe("Cluster");
    expect(sectionOf("metrics.k8s.io", "pods")).toBe("Cluster");
    expect(sectionOf("cert-manager.io", "certificates")).toBe("Custom resources");
    expect(sectionOf("kustomize.toolkit.fluxcd.io", "kustomizations")).toBe("Custom resources");
  });
});
