// An object's owners (metadata.ownerReferences) as views of the live view: Pod → ReplicaSet → Deployment,
// Job → CronJob, a mirror pod → its Node, a custom resource's owner among the discovered kinds. Each is
// the owner's kind, namespace and `open=` for its drawer; an owner of a kind the view does not know has
// no view (shown as text). Pure (tested).
import { KINDS, type Kind, type KubeItem } from "./kinds";
import type { ViewState } from "./controls";

interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

/** The built-in kinds by apiVersion and kind, as owner references name them. */
const BUILT_IN: Record<string, string> = {
  "apps/v1 ReplicaSet": "replicasets",
  "apps/v1 Deployment": "deployments",
  "apps/v1 StatefulSet": "statefulsets",
  "apps/v1 DaemonSet": "daemonsets",
  "batch/v1 Job": "jobs",
  "batch/v1 CronJob": "cronjobs",
  "v1 Node": "nodes",
  "v1 Namespace": "namespaces",
  "v1 Service": "services",
  "v1 ConfigMap": "configmaps",
  "v1 Secret": "secrets",
  "v1 Pod": "pods",
};

export interface OwnerLink {
  kind: string;
  name: string;
  controller: boolean;
  /** The view that opens the owner in its drawer, or null for a kind the live view does not offer. */
  view: Pick<ViewState, "kind" | "namespace" | "open"> | null;
}

/** A discovered kind's apiVersion prefix of its key: "source.toolkit.fluxcd.io/v1/…", "core/v1/…". */
function discovered(ref: OwnerReference, more: Kind[]): Kind | undefined {
  const [group, version] = ref.apiVersion?.includes("/") ? ref.apiVersion.split("/") : ["core", ref.apiVersion];
  return more.find((k) => k.noun.one === ref.kind && k.key.startsWith(`${group}/${version}/`));
}

/** Whether any owner needs the cluster's discovery to be linked (not a built-in kind). */
export function needsDiscovery(o: KubeItem): boolean {
  return ownerRefs(o).some((r) => !BUILT_IN[`${r.apiVersion} ${r.kind}`]);
}

function ownerRefs(o: KubeItem): OwnerReference[] {
  const refs = (o.metadata as { ownerReferences?: unknown }).ownerReferences;
  return Array.isArray(refs) ? (refs as OwnerReference[]).filter((r) => r && r.kind && r.name) : [];
}

export function ownerLinks(o: KubeItem, more: Kind[]): OwnerLink[] {
  return ownerRefs(o).map((r) => {
    const key = BUILT_IN[`${r.apiVersion} ${r.kind}`];
    const kind = key ? KINDS.find((k) => k.key === key) : discovered(r, more);
    // An owner is in its object's namespace, or cluster-scoped (a Node, a Namespace).
    const namespace = kind?.namespaced ? (o.metadata.namespace ?? "") : "";
    return {
      kind: r.kind!,
      name: r.name!,
      controller: r.controller === true,
      view: kind ? { kind: kind.key, namespace, open: `${namespace}/${r.name}` } : null,
    };
  });
}
