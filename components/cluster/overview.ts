// The Overview's figures, computed from the live collections the page already holds: nodes ready, pods
// by phase, workloads with fewer ready replicas than desired, and the most recent Warning events.
import { nodeStatus, num, type KubeItem } from "./kinds";
import type { LiveStatus } from "./use-live";

export interface FailingWorkload {
  kind: "Deployment" | "StatefulSet" | "DaemonSet";
  namespace: string;
  name: string;
  ready: number;
  desired: number;
}

export interface WarningEvent {
  namespace: string;
  object: string;
  reason: string;
  message: string;
  count: number;
  at: string;
}

export interface Overview {
  nodes: { ready: number; total: number };
  podsByPhase: [phase: string, count: number][];
  failing: FailingWorkload[];
  warnings: WarningEvent[];
}

const PHASES = ["Running", "Pending", "Succeeded", "Failed", "Unknown"];

export function podsByPhase(pods: Iterable<KubeItem>): [string, number][] {
  const counts = new Map<string, number>(PHASES.map((p) => [p, 0]));
  for (const p of pods) {
    const phase = typeof p.status?.phase === "string" ? p.status.phase : "Unknown";
    counts.set(phase, (counts.get(phase) ?? 0) + 1);
  }
  return [...counts];
}

export function failingWorkloads(workloads: {
  deployments: Iterable<KubeItem>;
  statefulsets: Iterable<KubeItem>;
  daemonsets: Iterable<KubeItem>;
}): FailingWorkload[] {
  const out: FailingWorkload[] = [];
  const add = (kind: FailingWorkload["kind"], o: KubeItem, ready: number, desired: number) => {
    if (ready < desired)
      out.push({ kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name, ready, desired });
  };
  // spec.replicas defaults to 1 when unset.
  for (const o of workloads.deployments)
    add("Deployment", o, num(o.status?.readyReplicas), typeof o.spec?.replicas === "number" ? o.spec.replicas : 1);
  for (const o of workloads.statefulsets)
    add("StatefulSet", o, num(o.status?.readyReplicas), typeof o.spec?.replicas === "number" ? o.spec.replicas : 1);
  for (const o of workloads.daemonsets)
    add("DaemonSet", o, num(o.status?.numberReady), num(o.status?.desiredNumberScheduled));
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** When an event last happened: events.k8s.io fields first, then the core/v1 ones. */
function eventTime(e: KubeItem): string {
  const series = e.series as { lastObservedTime?: string } | undefined;
  return String(series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? "");
}

export function recentWarnings(events: Iterable<KubeItem>, limit = 20): WarningEvent[] {
  const out: WarningEvent[] = [];
  for (const e of events) {
    if (e.type !== "Warning") continue;
    const involved = (e.involvedObject ?? e.regarding) as { kind?: string; name?: string } | undefined;
    out.push({
      namespace: e.metadata.namespace ?? "",
      object: involved ? `${involved.kind ?? ""}/${involved.name ?? ""}` : "",
      reason: String(e.reason ?? ""),
      message: String(e.message ?? e.note ?? ""),
      count: typeof e.count === "number" ? e.count : 1,
      at: eventTime(e),
    });
  }
  return out.sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0)).slice(0, limit);
}

export function overviewOf(c: {
  nodes: Iterable<KubeItem>;
  pods: Iterable<KubeItem>;
  deployments: Iterable<KubeItem>;
  statefulsets: Iterable<KubeItem>;
  daemonsets: Iterable<KubeItem>;
  events: Iterable<KubeItem>;
}): Overview {
  let ready = 0;
  let total = 0;
  for (const n of c.nodes) {
    total++;
    if (nodeStatus(n) === "Ready") ready++;
  }
  return {
    nodes: { ready, total },
    podsByPhase: podsByPhase(c.pods),
    failing: failingWorkloads(c),
    warnings: recentWarnings(c.events),
  };
}

/**
 * Whether the cluster view has anything true to show, and if not, why: an empty collection from an agent
 * that never connected, or from a cluster whose RBAC lets the viewer list nothing, is not an empty
 * cluster. Decided before any figure or table is drawn, so that none reads "0/0" or "all ready".
 */
export type ClusterReach =
  | { state: "loading" }
  | { state: "never_connected"; hasTokens: boolean }
  /** `stale`: figures arrived before the agent went away, and are shown as they were. */
  | { state: "disconnected"; since: string | null; stale: boolean }
  /** The agent is connected, but the live stream has not delivered anything yet and is retrying. */
  | { state: "unreachable" }
  | { state: "no_access"; viaUserAccess: boolean }
  | { state: "ready" };

export interface ReachFacts {
  /** The agent as its Overview reports it; null until the first answer. */
  agent: {
    status: "connected" | "not_connected" | "never_connected";
    lastContactAt: string | null;
    activeTokens: number;
  } | null;
  live: LiveStatus;
  /** A snapshot has arrived on the live stream. */
  received: boolean;
  /** How many collections the view shows, and how many of those the cluster refused. */
  sources: number;
  refused: number;
  /** The viewer sees the cluster through the agent's user_access, rather than as a member of its project. */
  viaUserAccess: boolean;
}

export function clusterReach(f: ReachFacts): ClusterReach {
  if (f.agent?.status === "never_connected") return { state: "never_connected", hasTokens: f.agent.activeTokens > 0 };
  if (f.agent?.status === "not_connected")
    return { state: "disconnected", since: f.agent.lastContactAt, stale: f.received };
  if (f.received)
    return f.sources > 0 && f.refused >= f.sources
      ? { state: "no_access", viaUserAccess: f.viaUserAccess }
      : { state: "ready" };
  // Nothing yet: still opening, or failing while the agent is said to be there.
  return f.live === "connecting" || !f.agent ? { state: "loading" } : { state: "unreachable" };
}
