// The logs of a workload's pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) followed together, as
// the viewer: the workload's selector, its pods listed with it, then up to MAX_WORKLOAD_LOG_STREAMS pods/log
// streams through the tunnel, their lines interleaved in the order they arrive into one NDJSON answer.
// Must not ask as anyone but the viewer, nor hold a followed line back.
import { z } from "zod";
import type { TunnelClient } from "@/lib/tunnel-client";
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

/** The pods' logs to follow for a workload, as the viewer sees it: its selector, then its pods listed with it. */
export async function workloadLogSources(
  client: Client,
  agentId: string,
  q: WorkloadLogsQuery,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<{ sources: LogSource[]; total: number; pods: number }> {
  const base = `${WORKLOAD_LOG_KINDS[q.kind]}/namespaces/${q.namespace}/${q.kind}`;
  const workload = await client.agentJson<{ spec?: { selector?: LabelSelector } }>(agentId, {
    path: `${base}/${q.name}`,
    impersonation,
    signal,
  });
  const selector = selectorString(workload.spec?.selector);
  // An empty selector would be every pod of the namespace; the API server refuses one for these kinds anyway.
  if (!selector) throw new WorkloadWithoutSelector(`${q.kind} ${q.namespace}/${q.name} has no pod selector`);
  const pods = await client.agentJson<{ items: PodForLogs[] }>(agentId, {
    path: `/api/v1/namespaces/${q.namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
    impersonation,
    signal,
  });
  return { ...logSources(pods.items, q.allContainers), pods: pods.items.length };
}

/** Events queued for a slow reader before the sources wait. */
export const QUEUED_EVENTS = 64;

const encoder = new TextEncoder();
const frame = (e: WorkloadLogEvent) => encoder.encode(`${JSON.stringify(e)}\n`);

/**
 * Reads every source's text at once and writes one NDJSON stream: the `sources` event, then each source's
 * whole lines as they arrive (`lines`, in arrival order across sources), an `end` per source (with the
 * cluster's words when it refused or broke), and closes when all have ended. Cancelling it cancels them all.
 * A reader that falls behind holds the sources back: past QUEUED_EVENTS unread events no source is read
 * further (so the tunnel's own flow control slows the cluster), rather than web holding the logs in memory.
 */
export function interleaveLogs(
  sources: LogSource[],
  meta: { total: number; pods: number },
  open: (s: LogSource, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>,
  signal?: AbortSignal,
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
        controller.enqueue(
          frame({ type: "sources", sources, total: meta.total, pods: meta.pods, limit: MAX_WORKLOAD_LOG_STREAMS }),
        );
        const send = (e: WorkloadLogEvent) => {
          if (!abort.signal.aborted) controller.enqueue(frame(e));
        };
        const room = async () => {
          while ((controller.desiredSize ?? 1) <= 0 && !abort.signal.aborted)
            await new Promise<void>((r) => waiting.push(r));
        };
        const follow = async (s: LogSource, source: number) => {
          let rest = "";
          try {
            const reader = (await open(s, abort.signal)).getReader();
            const decoder = new TextDecoder();
            for (;;) {
              await room();
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
            const error =
              e instanceof UpstreamStatusError
                ? e.reason
                : e instanceof Error
                  ? e.message
                  : "the log could not be read";
            send({ type: "end", source, error });
          }
        };
        void Promise.all(sources.map(follow)).then(() => {
          if (!abort.signal.aborted) controller.close();
        });
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
