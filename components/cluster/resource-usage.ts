// CPU and memory from metrics.k8s.io beside the live tables' rows and on the Overview: the columns the Pods
// and Nodes tables gain (as `kubectl top` prints them), the cluster's usage against its nodes' allocatable,
// and the one sentence that says why there are no figures. Pure, so each is tested without a cluster.
import {
  formatBytes,
  formatCores,
  formatCpu,
  formatMemory,
  parseQuantity,
  percentOf,
} from "@/lib/cluster-metrics/quantity";
import { usageKey, type MetricsAnswer, type ResourceUsage } from "@/lib/cluster-metrics/wire";
import { objectKey } from "@/lib/cluster-cache/wire";
import type { KubeItem } from "./kinds";
import type { CellKey } from "./sort";

export type MetricsOf = "pods" | "nodes";

/** The kinds whose tables show usage: pods and nodes, as `kubectl top` knows them. */
export function metricsOf(kindKey: string): MetricsOf | null {
  return kindKey === "pods" || kindKey === "nodes" ? kindKey : null;
}

export interface UsageColumn {
  name: string;
  value: (o: KubeItem, now: number) => string;
  sortKey: (o: KubeItem, now: number) => CellKey;
}

export function usageByKey(usage: readonly ResourceUsage[]): Map<string, ResourceUsage> {
  return new Map(usage.map((u) => [usageKey(u), u]));
}

function allocatable(o: KubeItem, resource: "cpu" | "memory"): number {
  return parseQuantity((o.status?.allocatable as Record<string, unknown> | undefined)?.[resource]) ?? 0;
}

/**
 * CPU and Memory columns for the Pods or Nodes table: a pod's "12m" and "300Mi"; a node's with its share of
 * what it can allocate, "250m (1%)" as `kubectl top node` prints CPU%. A row metrics-server has not measured
 * yet (a new pod) has an empty cell, which sorts last. Sorted by the figure, not the text.
 */
export function usageColumns(of: MetricsOf, byKey: ReadonlyMap<string, ResourceUsage>): UsageColumn[] {
  const column = (name: string, resource: "cpu" | "memory"): UsageColumn => {
    const format = resource === "cpu" ? formatCpu : formatMemory;
    return {
      name,
      value: (o) => {
        const u = byKey.get(objectKey(o));
        if (!u) return "";
        const share = of === "nodes" ? percentOf(u[resource], allocatable(o, resource)) : "";
        return share ? `${format(u[resource])} (${share})` : format(u[resource]);
      },
      sortKey: (o) => {
        const u = byKey.get(objectKey(o));
        return u ? { kind: "number", n: u[resource], rest: "" } : { kind: "empty" };
      },
    };
  };
  return [column("CPU", "cpu"), column("Memory", "memory")];
}

export interface ClusterUsage {
  cpu: { used: number; allocatable: number };
  memory: { used: number; allocatable: number };
  /** Nodes with a figure, of all nodes: a node not measured yet is left out of both sides. */
  measured: number;
  nodes: number;
}

/** The nodes' usage against what they can allocate, over the nodes metrics-server has measured. */
export function clusterUsage(nodes: Iterable<KubeItem>, byKey: ReadonlyMap<string, ResourceUsage>): ClusterUsage {
  const out: ClusterUsage = {
    cpu: { used: 0, allocatable: 0 },
    memory: { used: 0, allocatable: 0 },
    measured: 0,
    nodes: 0,
  };
  for (const n of nodes) {
    out.nodes++;
    const u = byKey.get(objectKey(n));
    if (!u) continue;
    out.measured++;
    out.cpu.used += u.cpu;
    out.memory.used += u.memory;
    out.cpu.allocatable += allocatable(n, "cpu");
    out.memory.allocatable += allocatable(n, "memory");
  }
  return out;
}

/** "0.25 of 32 cores (1%)" and "600Mi of 256Gi (0%)": the Overview's two figures. */
export function usageSentences(u: ClusterUsage): { cpu: string; memory: string } {
  const share = (used: number, of: number) => {
    const p = percentOf(used, of);
    return p ? ` (${p})` : "";
  };
  return {
    cpu: `${formatCores(u.cpu.used)} of ${formatCores(u.cpu.allocatable)} cores${share(u.cpu.used, u.cpu.allocatable)}`,
    memory: `${formatBytes(u.memory.used)} of ${formatBytes(u.memory.allocatable)}${share(u.memory.used, u.memory.allocatable)}`,
  };
}

/** Why a page shows no CPU or memory, said once; null when the figures are there. */
export function metricsNotice(answer: MetricsAnswer | undefined, error: string | null): string | null {
  if (error) return `Metrics could not be read: ${error}`;
  if (!answer || answer.state === "available") return null;
  switch (answer.state) {
    case "not_served":
      return "Metrics unavailable: the cluster has no metrics-server (metrics.k8s.io).";
    case "refused":
      return `Metrics hidden: you may not read metrics.k8s.io here. The cluster said: ${answer.message}`;
    case "unavailable":
      return `Metrics unavailable: the cluster's metrics API (metrics.k8s.io) is not answering: ${answer.message}`;
  }
}

/** One answer for several namespaces' pods: the figures together, or the first reason there are none. */
export function mergeAnswers(answers: readonly MetricsAnswer[]): MetricsAnswer | undefined {
  const missing = answers.find((a) => a.state !== "available");
  if (missing) return missing;
  if (!answers.length) return undefined;
  return { state: "available", usage: answers.flatMap((a) => (a.state === "available" ? a.usage : [])) };
}
