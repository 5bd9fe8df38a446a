// The logs of a workload's pods interleaved, the part both sides share (no Node imports: the page loads it):
// which workloads have them, a label selector as the query string kubectl sends, which pods and containers
// are followed (at most MAX_WORKLOAD_LOG_STREAMS), the `[pod/container]` prefix, the stream's events
// (NDJSON, one event a line; a followed workload's pods coming and going while it is read are events too) and
// how text arriving in pieces is cut into whole lines.
import "@/lib/common/zod-jitless";
import { z } from "zod";

/** The most logs followed at once for one workload; kubectl's --max-log-requests is 5 by default. */
export const MAX_WORKLOAD_LOG_STREAMS = 10;

/** Workload kinds (the live view's keys) whose pods' logs can be read together, and their API collections. */
export const WORKLOAD_LOG_KINDS = {
  deployments: "/apis/apps/v1",
  statefulsets: "/apis/apps/v1",
  daemonsets: "/apis/apps/v1",
  replicasets: "/apis/apps/v1",
  jobs: "/apis/batch/v1",
} as const;
export type WorkloadLogKind = keyof typeof WORKLOAD_LOG_KINDS;

/** The workload kind of a collection path the live view shows, e.g. /apis/apps/v1/namespaces/x/deployments. */
export function workloadLogKind(path: string): WorkloadLogKind | null {
  const m = /^\/apis\/(apps|batch)\/v1(?:\/namespaces\/[^/]+)?\/([a-z]+)$/.exec(path);
  if (!m) return null;
  const kind = m[2] as WorkloadLogKind;
  return WORKLOAD_LOG_KINDS[kind] === `/apis/${m[1]}/v1` ? kind : null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A LabelSelector as the labelSelector query kubectl sends (`app=web,tier in (a,b),!legacy`); "" selects all. */
export function selectorString(s: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of s?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
    else throw new Error(`unknown selector operator ${e.operator}`);
  }
  return parts.join(",");
}

/** One log followed: a pod's container. */
export interface LogSource {
  pod: string;
  container: string;
}

/** The prefix a line carries, as `kubectl logs --prefix` writes it: `[pod/web-1/main]` here without the `pod/`. */
export function sourcePrefix(s: LogSource): string {
  return `[${s.pod}/${s.container}]`;
}

export interface PodForLogs {
  metadata: {
    name: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
  };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const ready = (p: PodForLogs) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/**
 * The logs to follow: running and ready pods first (a Pending pod has no log yet), newest first, then by
 * name; each pod's default container (kubectl's default-container annotation, else its first) or, with
 * `allContainers`, its init and regular containers; at most `limit` in all.
 */
export function logSources(
  pods: PodForLogs[],
  allContainers: boolean,
  limit = MAX_WORKLOAD_LOG_STREAMS,
): { sources: LogSource[]; total: number } {
  const rank = (p: PodForLogs) =>
    (p.metadata.deletionTimestamp ? 4 : 0) + (p.status?.phase === "Running" ? 0 : 2) + (ready(p) ? 0 : 1);
  const sorted = [...pods].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "") ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  const all: LogSource[] = [];
  for (const p of sorted) {
    const regular = (p.spec?.containers ?? []).map((c) => c.name);
    const init = (p.spec?.initContainers ?? []).map((c) => c.name);
    const wanted = p.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    const names = allContainers
      ? [...init, ...regular]
      : [wanted && [...regular, ...init].includes(wanted) ? wanted : (regular[0] ?? init[0])].filter((n): n is string =>
          Boolean(n),
        );
    for (const container of names) all.push({ pod: p.metadata.name, container });
  }
  return { sources: all.slice(0, limit), total: all.length };
}

/** The stream's events, one JSON object per line. */
export const workloadLogEvent = z.discriminatedUnion("type", [
  /** First: the logs followed (a line names one by its index here), and how many there were in all. */
  z.object({
    type: z.literal("sources"),
    sources: z.array(z.object({ pod: z.string(), container: z.string() })),
    total: z.number().int(),
    pods: z.number().int(),
    limit: z.number().int(),
  }),
  /** Whole lines of one log, as they came. */
  z.object({ type: z.literal("lines"), source: z.number().int(), lines: z.array(z.string()) }),
  /** One log ended (the container stopped, or not following) or could not be read (the cluster's words). */
  z.object({ type: z.literal("end"), source: z.number().int(), error: z.string().optional() }),
  /** Following: a pod that came since (scaled up, rolled out) has a log followed now, at index `source`. */
  z.object({ type: z.literal("source"), source: z.number().int(), pod: z.string(), container: z.string() }),
  /** Following: the workload's pods changed; `total` logs among `pods` pods now. */
  z.object({ type: z.literal("total"), total: z.number().int(), pods: z.number().int() }),
  /** Following: the pod was deleted; its logs have ended. */
  z.object({ type: z.literal("gone"), pod: z.string() }),
  /** Following: new pods are no longer picked up (the watch of the pods was refused or broke; its words). */
  z.object({ type: z.literal("unwatched"), error: z.string() }),
]);
export type WorkloadLogEvent = z.infer<typeof workloadLogEvent>;

/**
 * Cuts text that arrives in pieces into whole lines: `rest` is the unfinished line so far; returns the
 * finished lines and the new rest. A trailing "\r" (CRLF logs) is dropped.
 */
export function splitLines(rest: string, chunk: string): { lines: string[]; rest: string } {
  const parts = (rest + chunk).split("\n");
  const tail = parts.pop() ?? "";
  return { lines: parts.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)), rest: tail };
}
