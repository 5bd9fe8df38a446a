// What the cache keeps and streams of an object in a big collection: pods come by the thousand and most of
// each is its spec (containers, volumes, tolerations), which no table or figure reads. A pod's summary
// keeps its metadata, node and phase; the drawer asks for the whole object when it opens.
import type { KubeObject } from "./collection";

/** Collections whose objects are summarised: the pods of a namespace or of the cluster. */
export function summarises(collectionPath: string): boolean {
  return /^\/api\/v1(\/namespaces\/[^/]+)?\/pods$/.test(collectionPath.split("?")[0]!);
}

export function podSummary(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion } = o.metadata;
  const m = o.metadata as KubeObject["metadata"] & { creationTimestamp?: string; deletionTimestamp?: string; labels?: Record<string, string>; ownerReferences?: unknown[] };
  const spec = o.spec as { nodeName?: string } | undefined;
  const status = o.status as { phase?: string; reason?: string } | undefined;
  const metadata: KubeObject["metadata"] & Record<string, unknown> = { name, namespace, uid, resourceVersion, creationTimestamp: m.creationTimestamp, deletionTimestamp: m.deletionTimestamp, labels: m.labels, ownerReferences: m.ownerReferences };
  return {
    apiVersion: o.apiVersion ?? "v1",
    kind: o.kind ?? "Pod",
    metadata,
    spec: { nodeName: spec?.nodeName },
    status: { phase: status?.phase, reason: status?.reason },
  };
}
