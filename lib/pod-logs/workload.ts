// The logs of a workload's pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) followed together, as
// the viewer: the workload's selector, its pods listed with it, then up to MAX_WORKLOAD_LOG_STREAMS pods/log
// streams through the tunnel, their lines interleaved in the order they arrive into one NDJSON answer. While
// following, the pods are watched too: a pod that comes (scale up, rollout) has its log followed once it
// runs (within the limit), and one deleted has its logs ended and is said to be gone.
// Must not ask as anyone but the viewer, nor hold a followed line back.
import { z } from "zod";
import type { TunnelClient, WatchEvent } from "@/lib/tunnel-client";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { objectName } from "@/lib/cluster-cache/paths";
import { logFlag, logOptionFields, logsPath } from "./pod-log";
import {
  logSources,
  MAX_WORKLOAD_LOG_STREAMS,
  selectorString,
  splitLines,
  WORKLOAD_LOG_KINDS,
  type LabelSelector,
  type LogSource,
  type PodForLogs,
  type WorkloadLogEvent,
} from "./workload-wire";

export const workloadLogsQuery = z.object({
  namespace: objectName,
  kind: z.enum(Object.keys(WORKLOAD_LOG_KINDS) as [keyof typeof WORKLOAD_LOG_KINDS], {
    error: `kind is one of ${Object.keys(WORKLOAD_LOG_KINDS).join(", ")}`,
  }),
  name: objectName,
  /** Every container of each pod (init and regular ones), not only each pod's default one. */
  allContainers: logFlag,
  ...logOptionFields,
});
export type WorkloadLogsQuery = z.infer<typeof workloadLogsQuery>;

export class WorkloadWithoutSelector extends Error {}

type Client = Pick<TunnelClient, "agentJson" | "agentFetch">;

export interface WorkloadLogSources {
  sources: LogSource[];
  total: number;
  pods: number;
  /** The workload's pods' label selector, as the query kubectl sends. */
  selector: string;
  /** The pods listed, and the list's resourceVersion (where a watch of them starts). */
  list: { items: PodForLogs[]; resourceVersion: string };
}

/** The pods' logs to follow for a workload, as the viewer sees it: its selector, then its pods listed with it. */
export async function workloadLogSources(
  client: Client,
  agentId: string,
  q: WorkloadLogsQuery,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<WorkloadLogSources> {
  const base = `${WORKLOAD_LOG_KINDS[q.kind]}/namespaces/${q.namespace}/${q.kind}`;
  const workload = await client.agentJson<{ spec?: { selector?: LabelSelector } }>(agentId, {
    path: `${base}/${q.name}`,
    impersonation,
    signal,
  });
  const selector = selectorString(workload.spec?.selector);
  // An empty selector would be every pod of the namespace; the API server refuses one for these kinds anyway.
  if (!selector) throw new WorkloadWithoutSelector(`${q.kind} ${q.namespace}/${q.name} has no pod selector`);
  const list = await listPods(client, agentId, q.namespace, selector, impersonation, signal);
  return { ...logSources(list.items, q.allContainers), pods: list.items.length, selector, list };
}

async function listPods(
  client: Client,
  agentId: string,
  namespace: string,
  selector: string,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<{ items: PodForLogs[]; resourceVersion: string }> {
  const pods = await client.agentJson<{ items: PodForLogs[]; metadata?: { resourceVersion?: string } }>(agentId, {
    path: `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
    impersonation,
    signal,
  });
  return { items: pods.items, resourceVersion: pods.metadata?.resourceVersion ?? "" };
}

/** A change to the workload's pods: one pod's watch event, or the whole set again (after a relist). */
export type PodChange =
  { type: "ADDED" | "MODIFIED" | "DELETED"; pod: PodForLogs } | { type: "RELISTED"; pods: PodForLogs[] };

/** What following a workload's pods live needs: the pods listed first, and their changes from then on. */
export interface LivePods {
  pods: PodForLogs[];
  allContainers: boolean;
  /** The changes, until `signal` (the answer was cancelled) aborts. */
  changes: (signal: AbortSignal) => AsyncIterable<PodChange>;
}

/**
 * The workload's pods' changes from the list at `list.resourceVersion` on, watched as the viewer through the
 * tunnel (which resumes a broken watch itself); when the API server has forgotten that version (410 Gone) the
 * pods are listed again and the watch goes on from there. Other refusals are thrown.
 */
export async function* watchWorkloadPods(
  client: Pick<TunnelClient, "agentJson" | "agentFetch" | "agentWatch">,
  agentId: string,
  namespace: string,
  selector: string,
  resourceVersion: string,
  impersonation: Impersonation | undefined,
  signal: AbortSignal,
): AsyncGenerator<PodChange> {
  let rv = resourceVersion;
  const path = `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`;
  while (!signal.aborted) {
    try {
      const watch: AsyncGenerator<WatchEvent<PodForLogs>> = client.agentWatch<PodForLogs>(agentId, path, {
        resourceVersion: rv,
        signal,
        impersonation,
      });
      for await (const e of watch) {
        if (e.type === "ADDED" || e.type === "MODIFIED" || e.type === "DELETED") {
          if (e.object.metadata.resourceVersion) rv = e.object.metadata.resourceVersion;
          yield { type: e.type, pod: e.object };
        }
      }
      return;
    } catch (e) {
      if (signal.aborted) return;
      if (!(e instanceof UpstreamStatusError && e.status === 410)) throw e;
      const list = await listPods(client, agentId, namespace, selector, impersonation, signal);
      rv = list.resourceVersion;
      yield { type: "RELISTED", pods: list.items };
    }
  }
}

/** Events queued for a slow reader before the sources wait. */
export const QUEUED_EVENTS = 64;

const encoder = new TextEncoder();
const frame = (e: WorkloadLogEvent) => encoder.encode(`${JSON.stringify(e)}\n`);

const key = (s: LogSource) => `${s.pod}/${s.container}`;
const runs = (p: PodForLogs) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp;

/**
 * Reads every source's text at once and writes one NDJSON stream: the `sources` event, then each source's
 * whole lines as they arrive (`lines`, in arrival order across sources), an `end` per source (with the
 * cluster's words when it refused or broke), and closes when all have ended. Cancelling it cancels them all.
 * A reader that falls behind holds the sources back: past QUEUED_EVENTS unread events no source is read
 * further (so the tunnel's own flow control slows the cluster), rather than web holding the logs in memory.
 *
 * With `live` (following), the pods' changes are applied as they come: a running pod's logs not followed yet
 * are (`source`, while fewer than MAX_WORKLOAD_LOG_STREAMS are being read), a deleted pod's are ended (`gone`),
 * and `total` says when the count of logs changes; the answer then lasts until cancelled (or, should the
 * watch end, `unwatched` and until every source has ended).
 */
export function interleaveLogs(
  sources: LogSource[],
  meta: { total: number; pods: number },
  open: (s: LogSource, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>,
  signal?: AbortSignal,
  live?: LivePods,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  signal?.addEventListener("abort", () => abort.abort(), { once: true });
  // Sources waiting for the reader to take events; pull() (and cancelling) lets them go on.
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
  };
  abort.signal.addEventListener("abort", wakeAll, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const followed = [...sources];
        controller.enqueue(
          frame({
            type: "sources",
            sources: followed.slice(),
            total: meta.total,
            pods: meta.pods,
            limit: MAX_WORKLOAD_LOG_STREAMS,
          }),
        );
        const send = (e: WorkloadLogEvent) => {
          if (!abort.signal.aborted) controller.enqueue(frame(e));
        };
        // Sources being read, by index: each can be stopped alone (its pod was deleted); cancelling stops all.
        const reading = new Map<number, AbortController>();
        abort.signal.addEventListener("abort", () => reading.forEach((c) => c.abort()), { once: true });
        let watching = live !== undefined;
        // Following: a log that ended makes room for another.
        let freed = () => {};
        const closeWhenDone = () => {
          if (reading.size === 0 && !watching && !abort.signal.aborted) controller.close();
        };
        const follow = async (s: LogSource, source: number) => {
          const own = new AbortController();
          reading.set(source, own);
          if (abort.signal.aborted) own.abort();
          own.signal.addEventListener("abort", wakeAll, { once: true });
          let rest = "";
          try {
            const reader = (await open(s, own.signal)).getReader();
            own.signal.addEventListener("abort", () => void reader.cancel().catch(() => {}), { once: true });
            if (own.signal.aborted) void reader.cancel().catch(() => {});
            const decoder = new TextDecoder();
            for (;;) {
              while ((controller.desiredSize ?? 1) <= 0 && !own.signal.aborted)
                await new Promise<void>((r) => waiting.push(r));
              const { done, value } = await reader.read();
              if (done) break;
              const cut = splitLines(rest, decoder.decode(value, { stream: true }));
              rest = cut.rest;
              if (cut.lines.length) send({ type: "lines", source, lines: cut.lines });
            }
            rest += decoder.decode();
            if (rest) send({ type: "lines", source, lines: [rest] });
            rest = "";
            send({ type: "end", source });
          } catch (e) {
            if (rest) send({ type: "lines", source, lines: [rest] });
            // Stopped because its pod went away: it ended, nothing failed.
            if (own.signal.aborted) send({ type: "end", source });
            else {
              const error =
                e instanceof UpstreamStatusError
                  ? e.reason
                  : e instanceof Error
                    ? e.message
                    : "the log could not be read";
              send({ type: "end", source, error });
            }
          } finally {
            reading.delete(source);
            freed();
            closeWhenDone();
          }
        };
        const keys = new Set(followed.map(key));
        const add = (s: LogSource) => {
          const source = followed.push(s) - 1;
          keys.add(key(s));
          send({ type: "source", source, pod: s.pod, container: s.container });
          void follow(s, source);
        };
        followed.forEach((s, i) => void follow(s, i));
        if (!live) {
          closeWhenDone();
          return;
        }

        const pods = new Map(live.pods.map((p) => [p.metadata.name, p]));
        let counted = { total: meta.total, pods: meta.pods };
        const gone = (name: string) => {
          pods.delete(name);
          let had = false;
          followed.forEach((s, i) => {
            if (s.pod !== name) return;
            had = true;
            keys.delete(key(s));
            reading.get(i)?.abort();
          });
          if (had) send({ type: "gone", pod: name });
        };
        // Logs of running pods not followed yet, best first, while there is room.
        const fill = () => {
          const room = MAX_WORKLOAD_LOG_STREAMS - reading.size;
          if (room <= 0 || !watching || abort.signal.aborted) return;
          const fresh = logSources([...pods.values()].filter(runs), live.allContainers, Infinity).sources.filter(
            (s) => !keys.has(key(s)),
          );
          for (const s of fresh.slice(0, room)) add(s);
        };
        freed = fill;
        const recount = () => {
          const now = {
            total: logSources([...pods.values()], live.allContainers, Infinity).total,
            pods: pods.size,
          };
          if (now.total !== counted.total || now.pods !== counted.pods) send({ type: "total", ...now });
          counted = now;
        };
        void (async () => {
          try {
            for await (const c of live.changes(abort.signal)) {
              if (abort.signal.aborted) break;
              if (c.type === "DELETED") gone(c.pod.metadata.name);
              else if (c.type === "RELISTED") {
                const names = new Set(c.pods.map((p) => p.metadata.name));
                for (const name of [...pods.keys()]) if (!names.has(name)) gone(name);
                for (const p of c.pods) pods.set(p.metadata.name, p);
              } else pods.set(c.pod.metadata.name, c.pod);
              fill();
              recount();
            }
          } catch (e) {
            if (!abort.signal.aborted)
              send({
                type: "unwatched",
                error:
                  e instanceof UpstreamStatusError
                    ? e.reason
                    : e instanceof Error
                      ? e.message
                      : "the pods could not be watched",
              });
          } finally {
            watching = false;
            closeWhenDone();
          }
        })();
      },
      pull() {
        wakeAll();
      },
      cancel() {
        abort.abort();
      },
    },
    new CountQueuingStrategy({ highWaterMark: QUEUED_EVENTS }),
  );
}

/** One pod's container log through the tunnel as the viewer; a refusal is thrown as the cluster's status. */
export function openPodLog(
  client: Client,
  agentId: string,
  q: WorkloadLogsQuery,
  impersonation: Impersonation | undefined,
) {
  return async (s: LogSource, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> => {
    const res = await client.agentFetch(agentId, {
      path: logsPath({
        namespace: q.namespace,
        pod: s.pod,
        container: s.container,
        follow: q.follow && !q.previous,
        previous: q.previous,
        timestamps: q.timestamps,
        tailLines: q.tailLines,
        sinceSeconds: q.sinceSeconds,
      }),
      headers: { accept: "text/plain, application/json" },
      impersonation,
      signal,
    });
    if (res.status >= 400) throw new UpstreamStatusError(res.status, await res.text());
    return res.body ?? new ReadableStream({ start: (c) => c.close() });
  };
}
