import { describe, expect, it } from "vitest";
import type { MetricsAnswer } from "@/lib/cluster-metrics/wire";
import type { KubeItem } from "./kinds";
import {
  clusterUsage,
  mergeAnswers,
  metricsNotice,
  metricsOf,
  usageByKey,
  usageColumns,
  usageSentences,
} from "./resource-usage";
import { parseSort } from "./sort";
import { tableColumns, tableRows } from "./table-rows";

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const pod = (namespace: string, name: string): KubeItem => ({ metadata: { name, namespace }, status: {} });
const node = (name: string, cpu: string, memory: string): KubeItem => ({
  metadata: { name },
  status: { allocatable: { cpu, memory, pods: "110" } },
});

const podUsage = usageByKey([
  { namespace: "shop", name: "web-1", cpu: 0.25, memory: 300 * Mi },
  { namespace: "shop", name: "web-2", cpu: 0.0125, memory: 12 * Mi },
  // Same name, other namespace: its own figures.
  { namespace: "data", name: "web-1", cpu: 1.5, memory: 2 * Gi },
]);

describe("usage columns", () => {
  it("show a pod's CPU in millicores and memory in Mi, as kubectl top pod does, by namespace and name", () => {
    const [cpu, memory] = usageColumns("pods", podUsage);
    expect(cpu!.name).toBe("CPU");
    expect(memory!.name).toBe("Memory");
    expect(cpu!.value(pod("shop", "web-1"), 0)).toBe("250m");
    expect(memory!.value(pod("shop", "web-1"), 0)).toBe("300Mi");
    expect(cpu!.value(pod("shop", "web-2"), 0)).toBe("13m");
    expect(cpu!.value(pod("data", "web-1"), 0)).toBe("1500m");
    expect(memory!.value(pod("data", "web-1"), 0)).toBe("2048Mi");
  });

  it("leave a pod metrics-server has not measured yet empty", () => {
    const [cpu, memory] = usageColumns("pods", podUsage);
    expect(cpu!.value(pod("shop", "new"), 0)).toBe("");
    expect(memory!.value(pod("shop", "new"), 0)).toBe("");
  });

  it("give a node's share of its allocatable, as kubectl top node's CPU% and MEMORY%", () => {
    const [cpu, memory] = usageColumns("nodes", usageByKey([{ name: "n1", cpu: 8, memory: 64 * Gi }]));
    const n1 = node("n1", "32", "256Gi");
    expect(cpu!.value(n1, 0)).toBe("8000m (25%)");
    expect(memory!.value(n1, 0)).toBe("65536Mi (25%)");
    // A node without allocatable: the figure alone.
    expect(cpu!.value({ metadata: { name: "n1" } }, 0)).toBe("8000m");
  });

  it("sort a table by the figure both ways, unmeasured rows last, in the URL's sort=cpu / -memory", () => {
    const kind = { status: () => "Running" };
    const added = usageColumns("pods", podUsage);
    const items = [pod("shop", "web-1"), pod("shop", "web-2"), pod("data", "web-1"), pod("shop", "new")];
    const rows = (sort: string) =>
      tableRows(items, kind, { q: "", status: "", sort: parseSort(sort), added }).map(
        (o) => `${o.metadata.namespace}/${o.metadata.name}`,
      );
    // "13m" would sort as thirteen minutes if read as text; it is 0.0125 cores.
    expect(rows("cpu")).toEqual(["shop/web-2", "shop/web-1", "data/web-1", "shop/new"]);
    expect(rows("-cpu")).toEqual(["data/web-1", "shop/web-1", "shop/web-2", "shop/new"]);
    expect(rows("-memory")).toEqual(["data/web-1", "shop/web-1", "shop/web-2", "shop/new"]);
  });

  it("come after the kind's own columns and before Age", () => {
    const ids = tableColumns({ status: () => "" }, usageColumns("pods", podUsage)).map((c) => c.id);
    expect(ids).toEqual(["name", "namespace", "status", "cpu", "memory", "age"]);
  });

  it("belong to pods and nodes only", () => {
    expect(metricsOf("pods")).toBe("pods");
    expect(metricsOf("nodes")).toBe("nodes");
    expect(metricsOf("deployments")).toBeNull();
  });
});

describe("the cluster's usage", () => {
  it("adds the measured nodes' usage and allocatable", () => {
    const nodes = [node("n1", "32", "256Gi"), node("n2", "4000m", "16Gi"), node("new", "8", "8Gi")];
    const u = clusterUsage(
      nodes,
      usageByKey([
        { name: "n1", cpu: 0.5, memory: 512 * Mi },
        { name: "n2", cpu: 0.75, memory: 1.5 * Gi },
      ]),
    );
    expect(u).toEqual({
      cpu: { used: 1.25, allocatable: 36 },
      memory: { used: 2 * Gi, allocatable: 272 * Gi },
      measured: 2,
      nodes: 3,
    });
    expect(usageSentences(u)).toEqual({ cpu: "1.25 of 36 cores (3%)", memory: "2Gi of 272Gi (1%)" });
  });
});

describe("the notice", () => {
  it("says once why there are no figures, and nothing when there are", () => {
    expect(metricsNotice({ state: "available", usage: [] }, null)).toBeNull();
    expect(metricsNotice(undefined, null)).toBeNull();
    expect(metricsNotice({ state: "not_served" }, null)).toBe(
      "Metrics unavailable: the cluster has no metrics-server (metrics.k8s.io).",
    );
    expect(metricsNotice({ state: "refused", message: "nodes.metrics.k8s.io is forbidden" }, null)).toBe(
      "Metrics hidden: you may not read metrics.k8s.io here. The cluster said: nodes.metrics.k8s.io is forbidden",
    );
    expect(metricsNotice({ state: "unavailable", message: "service unavailable" }, null)).toMatch(
      /^Metrics unavailable: the cluster's metrics API \(metrics\.k8s\.io\) is not answering: service unavailable$/,
    );
    expect(metricsNotice(undefined, "agent not connected")).toBe("Metrics could not be read: agent not connected");
  });
});

describe("several namespaces' answers", () => {
  it("are merged into one, or the first reason there are none", () => {
    const a: MetricsAnswer = { state: "available", usage: [{ namespace: "a", name: "p", cpu: 1, memory: 1 }] };
    const b: MetricsAnswer = { state: "available", usage: [{ namespace: "b", name: "p", cpu: 2, memory: 2 }] };
    expect(mergeAnswers([a, b])).toEqual({ state: "available", usage: [...a.usage, ...b.usage] });
    expect(mergeAnswers([a, { state: "refused", message: "no" }])).toEqual({ state: "refused", message: "no" });
    expect(mergeAnswers([])).toBeUndefined();
  });
});
