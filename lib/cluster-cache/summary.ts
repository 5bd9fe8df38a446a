// What the cache keeps and streams of an object in a big collection: pods come by the thousand and most of
// each is its spec (containers, volumes, tolerations), which no table or figure reads. A pod's summary
// keeps its metadata, node and phase, and its containers counted (ready, restarts, why one is not
// running: CrashLoopBackOff, ImagePullBackOff…); the drawer asks for the whole object when it opens.
import type { KubeObject } from "./wire";

/** Collections whose objects are summarised: the pods of a namespace or of the cluster. */
export function summarises(collectionPath: string): boolean {
  return /^\/api\/v1(\/namespaces\/[^/]+)?\/pods$/.test(collectionPath.split("?")[0]!);
}

export function podSummary(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion } = o.metadata;
  const m = o.metadata as KubeObject["metadata"] & {
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    ownerReferences?: unknown[];
  };
  const spec = o.spec as { nodeName?: string; containers?: { image?: string }[] } | undefined;
  const status = o.status as
    { phase?: string; reason?: string; podIP?: string; containerStatuses?: ContainerStatus[] } | undefined;
  const metadata: KubeObject["metadata"] & Record<string, unknown> = {
    name,
    namespace,
    uid,
    resourceVersion,
    creationTimestamp: m.creationTimestamp,
    deletionTimestamp: m.deletionTimestamp,
    labels: m.labels,
    ownerReferences: m.ownerReferences,
  };
  return {
    apiVersion: o.apiVersion ?? "v1",
    kind: o.kind ?? "Pod",
    metadata,
    // The images, as `kubectl get pods -o wide` has no room for but the table shows: a few strings.
    spec: { nodeName: spec?.nodeName, images: (spec?.containers ?? []).map((c) => c.image ?? "") },
    status: {
      phase: status?.phase,
      reason: status?.reason,
      podIP: status?.podIP,
      containers: countContainers(status?.containerStatuses ?? [], spec?.containers?.length),
    },
  };
}

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

/** What `kubectl get pods` shows of the containers: READY as ready/total, RESTARTS, and the reason one is stuck. */
export interface ContainerCounts {
  ready: number;
  total: number;
  restarts: number;
  /** The first not-ready container's waiting or terminated reason, or "". */
  reason: string;
}

/**
 * `specContainers` is the spec's count, the total kubectl prints: a Pending pod has no statuses yet and
 * is 0/1, not 0/0. Without a spec (an object from elsewhere), the statuses are counted instead.
 */
export function countContainers(statuses: ContainerStatus[], specContainers?: number): ContainerCounts {
  const counts: ContainerCounts = {
    ready: 0,
    total: Math.max(specContainers ?? 0, statuses.length),
    restarts: 0,
    reason: "",
  };
  for (const c of statuses) {
    if (c.ready) counts.ready++;
    counts.restarts += c.restartCount ?? 0;
    if (!c.ready && !counts.reason) counts.reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason ?? "";
  }
  return counts;
}
