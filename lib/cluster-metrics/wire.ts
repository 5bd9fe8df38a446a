// What GET /api/agents/:id/metrics answers: the viewer's metrics.k8s.io figures of pods or nodes, or why
// there are none. Shared by the route and the page; free of server code.

/** One pod's (its containers' sum) or one node's usage, as metrics-server last measured it. */
export interface ResourceUsage {
  /** Pods only. */
  namespace?: string;
  name: string;
  /** Cores. */
  cpu: number;
  /** Bytes (working set). */
  memory: number;
}

export type MetricsAnswer =
  /** metrics.k8s.io answered; a pod or node it has not measured yet is absent. */
  | { state: "available"; usage: ResourceUsage[] }
  /** The cluster does not serve metrics.k8s.io: no metrics-server (or another provider) is installed. */
  | { state: "not_served" }
  /** The cluster would not let the viewer read these metrics; `message` is the cluster's. */
  | { state: "refused"; message: string }
  /** metrics.k8s.io is registered but its server did not answer (metrics-server down or starting). */
  | { state: "unavailable"; message: string };

/** "<namespace>/<name>" for a pod, "/<name>" for a node: the live tables' row key (objectKey), to find a row's usage. */
export function usageKey(u: { namespace?: string; name: string }): string {
  return `${u.namespace ?? ""}/${u.name}`;
}
