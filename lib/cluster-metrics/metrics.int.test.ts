// CPU and memory through Tether's tunnel from the testbed's real metrics-server (scraping kwok's emulated
// kubelet resource metrics): kubectl top answers on the testbed, the same figures reach web through kas
// and the agent as the viewer would ask them, a viewer without RBAC for metrics.k8s.io gets the cluster's
// refusal, and once metrics-server is gone the cluster says it does not serve the API.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest, FAKE_NODE_NAME, startPod } from "@/testbed/cluster";
import {
  startMetricsServer,
  USAGE_CPU_ANNOTATION,
  USAGE_MEMORY_ANNOTATION,
  type MetricsServer,
} from "@/testbed/metrics-server";
import { startTunnelStack, type TunnelStack } from "@/testbed/tunnel-stack";
import { readMetrics } from "./metrics";
import { formatCpu, formatMemory } from "./quantity";
import type { MetricsAnswer } from "./wire";

const run = promisify(execFile);
/**
 * "250m" → 250. metrics-server makes a rate of kwok's cumulative CPU counter over its own scrape times, so a
 * figure may be off the annotated one by a little jitter (and millicores are rounded up): compare within 3%.
 */
const millicores = (text: string | undefined) => Number(/^(\d+)m$/.exec(text ?? "")?.[1] ?? NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("metrics.k8s.io from the testbed's metrics-server, through the tunnel", () => {
  const tb = inject("testbed");
  const ns = `metrics-${Date.now().toString(36)}`;
  let ms: MetricsServer | undefined;
  let stack: TunnelStack;
  const kubectl = (...args: string[]) => run(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, ...args]);

  beforeAll(async () => {
    // A cold cache builds metrics-server first (minutes): only this file and the metrics e2e spec need it.
    ms = await startMetricsServer(tb, { log: (m) => console.log(m) });
    stack = await startTunnelStack(tb.kubeconfig, { name: "metrics" });
    expect((await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    await startPod(tb, ns, "busy", ["main", "sidecar"], 30_000, {
      [USAGE_CPU_ANNOTATION]: "125m",
      [USAGE_MEMORY_ANNOTATION]: "150Mi",
    });
  }, 1_800_000);

  afterAll(async () => {
    await ms?.stop();
    await stack?.stop();
    await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
  });

  /** Asks until metrics-server has measured the pod (two scrapes, 10 s apart). */
  async function podFigures(): Promise<MetricsAnswer> {
    const until = Date.now() + 60_000;
    for (;;) {
      const a = await readMetrics(stack.client, stack.agentId, { of: "pods", namespace: ns }, undefined);
      if ((a.state === "available" && a.usage.length > 0) || Date.now() > until) return a;
      await sleep(1_000);
    }
  }

  it("kubectl top answers on the testbed: kwok's usage annotations, per container", async () => {
    await podFigures();
    const pods = await kubectl("top", "pod", "-n", ns, "--containers", "--no-headers");
    // Each container has the pod's annotated usage (kwok's ClusterResourceUsage applies per container).
    const lines = pods.stdout
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    expect(lines.map((l) => l[1])).toEqual(["main", "sidecar"]);
    for (const l of lines) {
      expect(millicores(l[2])).toBeGreaterThanOrEqual(121);
      expect(millicores(l[2])).toBeLessThanOrEqual(129);
      expect(l[3]).toBe("150Mi");
    }
    const nodes = await kubectl("top", "node", "--no-headers");
    expect(nodes.stdout).toMatch(new RegExp(`^${FAKE_NODE_NAME}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`, "m"));
  });

  it("the same figures reach web through kas and the agent, as kubectl top prints them", async () => {
    const a = await podFigures();
    expect(a.state).toBe("available");
    if (a.state !== "available") return;
    const busy = a.usage.find((u) => u.name === "busy");
    expect(busy?.namespace).toBe(ns);
    // The pod's figure is its two containers' sum.
    expect(millicores(formatCpu(busy!.cpu))).toBeGreaterThanOrEqual(242);
    expect(millicores(formatCpu(busy!.cpu))).toBeLessThanOrEqual(258);
    expect(formatMemory(busy!.memory)).toBe("300Mi");
    const nodes = await readMetrics(stack.client, stack.agentId, { of: "nodes" }, undefined);
    expect(nodes.state === "available" && nodes.usage.map((u) => u.name)).toContain(FAKE_NODE_NAME);
  });

  it("a viewer the cluster's RBAC does not let read metrics gets the cluster's refusal", async () => {
    const viewer = { user: `tether:user:m-${Date.now()}`, groups: ["tether:metrics-nobody"], uid: "", extra: {} };
    const a = await readMetrics(stack.client, stack.agentId, { of: "nodes" }, viewer);
    expect(a).toEqual({ state: "refused", message: expect.stringContaining("nodes.metrics.k8s.io is forbidden") });
  });

  it("without metrics-server (its APIService removed) the cluster does not serve metrics.k8s.io", async () => {
    await ms?.stop();
    ms = undefined;
    const a = await readMetrics(stack.client, stack.agentId, { of: "nodes" }, undefined);
    expect(a).toEqual({ state: "not_served" });
  });
});
