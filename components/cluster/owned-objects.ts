// The objects one object owns, as the drawer links them (the other way round from owner-links.ts):
// Deployment → its ReplicaSets, ReplicaSet / StatefulSet / DaemonSet / Job → its Pods, CronJob → its Jobs.
// An object is owned when one of its ownerReferences carries the owner's uid (what the garbage collector
// follows). Pure (tested).
import { KINDS, type Kind, type KubeItem } from "./kinds";
import type { ViewState } from "./controls";

/** Which kind of the live view each workload kind owns, and that kind's name as ownerReferences write it. */
const OWNS: Record<string, { key: string; kind: string }> = {
  deployments: { key: "replicasets", kind: "ReplicaSet" },
  replicasets: { key: "pods", kind: "Pod" },
  statefulsets: { key: "pods", kind: "Pod" },
  daemonsets: { key: "pods", kind: "Pod" },
  jobs: { key: "pods", kind: "Pod" },
  cronjobs: { key: "jobs", kind: "Job" },
};

const OWNED = new Map(
  Object.entries(OWNS).map(([owner, owned]) => [
    owner,
    { kind: KINDS.find((k) => k.key === owned.key)!, name: owned.kind },
  ]),
);

/** The kind objects of `kindKey` own (the same value every time), or null for a kind that owns nothing followed. */
export function ownedKind(kindKey: string): { kind: Kind; name: string } | null {
  return OWNED.get(kindKey) ?? null;
}

export interface OwnedLink {
  kind: string;
  name: string;
  /** The owned object's status as its table says it ("Running", "1/1"). */
  status: string;
  view: Pick<ViewState, "kind" | "namespace" | "open">;
}

interface OwnerReference {
  uid?: string;
}

function owns(owner: KubeItem, o: KubeItem): boolean {
  const refs = (o.metadata as { ownerReferences?: unknown }).ownerReferences;
  return (
    !!owner.metadata.uid && Array.isArray(refs) && (refs as OwnerReference[]).some((r) => r?.uid === owner.metadata.uid)
  );
}

/** The objects among `candidates` that `owner` owns, newest first (a Deployment's current ReplicaSet on top). */
export function ownedLinks(
  owner: KubeItem,
  owned: { kind: Kind; name: string },
  candidates: Iterable<KubeItem>,
): OwnedLink[] {
  const found = [...candidates].filter((o) => owns(owner, o));
  found.sort(
    (a, b) =>
      (Date.parse(b.metadata.creationTimestamp ?? "") || 0) - (Date.parse(a.metadata.creationTimestamp ?? "") || 0) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  return found.map((o) => {
    const namespace = o.metadata.namespace ?? "";
    return {
      kind: owned.name,
      name: o.metadata.name,
      status: owned.kind.status(o),
      view: { kind: owned.kind.key, namespace, open: `${namespace}/${o.metadata.name}` },
    };
  });
}
