// The viewer's CPU and memory figures of pods or nodes from the cluster's metrics.k8s.io (metrics-server),
// read through the tunnel as the viewer's identity at each request: nothing is cached, the page polls.
// When there are none, says why: the cluster does not serve the API, refused the viewer, or its metrics
// server is not answering.
import { z } from "zod";
import { objectName } from "@/lib/cluster-cache/paths";
import { logger } from "@/lib/log/logger";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import { parseQuantity } from "./quantity";
import type { MetricsAnswer, ResourceUsage } from "./wire";

const log = logger.child({ capability: "cluster-metrics" });

export const METRICS_GROUP_VERSION = "/apis/metrics.k8s.io/v1beta1";

export const metricsQuery = z.object({
  of: z.enum(["pods", "nodes"], { message: "of must be pods or nodes" }),
  /** Pods of one namespace; all namespaces when left out. Not for nodes. */
  namespace: objectName.optional(),
});
export type MetricsQuery = z.infer<typeof metricsQuery>;

export function metricsPath(q: MetricsQuery): string {
  if (q.of === "nodes") return `${METRICS_GROUP_VERSION}/nodes`;
  return q.namespace ? `${METRICS_GROUP_VERSION}/namespaces/${q.namespace}/pods` : `${METRICS_GROUP_VERSION}/pods`;
}

// What metrics-server answers (it comes from the cluster: parsed, and a figure that is not a quantity is left out).
const usage = z.object({ cpu: z.string(), memory: z.string() }).partial();
const podMetricsList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), namespace: z.string() }),
      containers: z.array(z.object({ usage: usage.optional() })).default([]),
    }),
  ),
});
const nodeMetricsList = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string() }), usage: usage.optional() })),
});

/** A pod's usage is its containers' sum, as `kubectl top pod` shows it. */
export function usageOf(of: MetricsQuery["of"], body: unknown): ResourceUsage[] {
  const out: ResourceUsage[] = [];
  if (of === "nodes") {
    for (const n of nodeMetricsList.parse(body).items) {
      const cpu = parseQuantity(n.usage?.cpu);
      const memory = parseQuantity(n.usage?.memory);
      if (cpu !== null && memory !== null) out.push({ name: n.metadata.name, cpu, memory });
    }
    return out;
  }
  for (const p of podMetricsList.parse(body).items) {
    let cpu = 0;
    let memory = 0;
    let whole = true;
    for (const c of p.containers) {
      const ccpu = parseQuantity(c.usage?.cpu);
      const cmem = parseQuantity(c.usage?.memory);
      if (ccpu === null || cmem === null) whole = false;
      else {
        cpu += ccpu;
        memory += cmem;
      }
    }
    if (whole) out.push({ namespace: p.metadata.namespace, name: p.metadata.name, cpu, memory });
  }
  return out;
}

export async function readMetrics(
  client: Pick<TunnelClient, "agentJson">,
  agentId: string,
  q: MetricsQuery,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<MetricsAnswer> {
  try {
    const body = await client.agentJson<unknown>(agentId, { path: metricsPath(q), impersonation, signal });
    return { state: "available", usage: usageOf(q.of, body) };
  } catch (e) {
    if (!(e instanceof UpstreamStatusError)) throw e;
    // Authorization comes before routing: a refusal may also hide a group the cluster does not serve.
    // Discovery tells them apart (every authenticated identity may read it).
    if (!(await served(client, agentId, impersonation, signal))) return { state: "not_served" };
    if (e.status === 403 || e.status === 401) return { state: "refused", message: e.reason };
    if (e.status === 503 || e.status === 502 || e.status === 504 || e.status === 404) {
      log.info({ agentId, status: e.status }, "metrics.k8s.io is registered but did not answer");
      return { state: "unavailable", message: e.reason };
    }
    throw e;
  }
}

/** Whether the cluster's discovery lists metrics.k8s.io (an APIService registered for it). */
async function served(
  client: Pick<TunnelClient, "agentJson">,
  agentId: string,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await client.agentJson<unknown>(agentId, { path: "/apis/metrics.k8s.io", impersonation, signal });
    return true;
  } catch (e) {
    if (e instanceof UpstreamStatusError && e.status === 404) return false;
    throw e;
  }
}
