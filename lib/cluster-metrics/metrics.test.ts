import { describe, expect, it } from "vitest";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import { metricsPath, metricsQuery, readMetrics, usageOf } from "./metrics";

const status = (code: number, message: string) =>
  new UpstreamStatusError(code, JSON.stringify({ kind: "Status", status: "Failure", message, code }));

/** A cluster answering each path as given (an error is thrown, like the tunnel client's). */
function cluster(answers: Record<string, unknown>) {
  const asked: string[] = [];
  return {
    asked,
    client: {
      agentJson: <T>(_agent: string, r: { path: string }): Promise<T> => {
        asked.push(r.path);
        const a = answers[r.path];
        if (a instanceof Error) return Promise.reject(a);
        if (a === undefined) return Promise.reject(status(404, "the server could not find the requested resource"));
        return Promise.resolve(a as T);
      },
    },
  };
}

const podMetrics = {
  kind: "PodMetricsList",
  items: [
    {
      metadata: { name: "web-1", namespace: "apps" },
      containers: [
        { name: "main", usage: { cpu: "200000000n", memory: "204800Ki" } },
        { name: "sidecar", usage: { cpu: "50m", memory: "100Mi" } },
      ],
    },
    { metadata: { name: "broken", namespace: "apps" }, containers: [{ name: "main", usage: { cpu: "x" } }] },
  ],
};

describe("the metrics query", () => {
  it("asks metrics.k8s.io for pods of a namespace, all pods, or nodes", () => {
    expect(metricsPath({ of: "pods", namespace: "apps" })).toBe("/apis/metrics.k8s.io/v1beta1/namespaces/apps/pods");
    expect(metricsPath({ of: "pods" })).toBe("/apis/metrics.k8s.io/v1beta1/pods");
    expect(metricsPath({ of: "nodes" })).toBe("/apis/metrics.k8s.io/v1beta1/nodes");
  });

  it("refuses what is neither pods nor nodes, and a namespace that is not a name", () => {
    expect(metricsQuery.safeParse({ of: "services" }).error?.issues[0]?.message).toBe("of must be pods or nodes");
    expect(metricsQuery.safeParse({ of: "pods", namespace: "../x" }).success).toBe(false);
  });
});

describe("usageOf", () => {
  it("sums a pod's containers, as kubectl top pod does, and leaves out a pod with an unreadable figure", () => {
    expect(usageOf("pods", podMetrics)).toEqual([
      { namespace: "apps", name: "web-1", cpu: 0.25, memory: 300 * 2 ** 20 },
    ]);
  });

  it("reads nodes", () => {
    expect(usageOf("nodes", { items: [{ metadata: { name: "n1" }, usage: { cpu: "1500m", memory: "2Gi" } }] })).toEqual(
      [{ name: "n1", cpu: 1.5, memory: 2 * 2 ** 30 }],
    );
  });
});

describe("readMetrics", () => {
  it("answers the figures when metrics.k8s.io answers", async () => {
    const c = cluster({ "/apis/metrics.k8s.io/v1beta1/namespaces/apps/pods": podMetrics });
    const a = await readMetrics(c.client, "a1", { of: "pods", namespace: "apps" }, undefined);
    expect(a).toEqual({
      state: "available",
      usage: [{ namespace: "apps", name: "web-1", cpu: 0.25, memory: 300 * 2 ** 20 }],
    });
    expect(c.asked).toEqual(["/apis/metrics.k8s.io/v1beta1/namespaces/apps/pods"]);
  });

  it("says the cluster does not serve metrics when discovery does not list the group, even behind a refusal", async () => {
    expect(await readMetrics(cluster({}).client, "a1", { of: "nodes" }, undefined)).toEqual({ state: "not_served" });
    const refusedToo = cluster({
      "/apis/metrics.k8s.io/v1beta1/nodes": status(403, "nodes.metrics.k8s.io is forbidden"),
    });
    expect(await readMetrics(refusedToo.client, "a1", { of: "nodes" }, undefined)).toEqual({ state: "not_served" });
  });

  it("passes the cluster's refusal on when the group is served", async () => {
    const c = cluster({
      "/apis/metrics.k8s.io": { kind: "APIGroup", name: "metrics.k8s.io" },
      "/apis/metrics.k8s.io/v1beta1/pods": status(403, 'pods.metrics.k8s.io is forbidden: User "ann" cannot list'),
    });
    expect(await readMetrics(c.client, "a1", { of: "pods" }, undefined)).toEqual({
      state: "refused",
      message: 'pods.metrics.k8s.io is forbidden: User "ann" cannot list',
    });
  });

  it("says the metrics server is not answering when the registered group fails", async () => {
    const c = cluster({
      "/apis/metrics.k8s.io": { kind: "APIGroup", name: "metrics.k8s.io" },
      "/apis/metrics.k8s.io/v1beta1/nodes": status(503, "the server is currently unable to handle the request"),
    });
    expect(await readMetrics(c.client, "a1", { of: "nodes" }, undefined)).toEqual({
      state: "unavailable",
      message: "the server is currently unable to handle the request",
    });
  });

  it("lets a tunnel failure through as the error it is", async () => {
    const c = cluster({ "/apis/metrics.k8s.io/v1beta1/nodes": new Error("agent not connected") });
    await expect(readMetrics(c.client, "a1", { of: "nodes" }, undefined)).rejects.toThrow("agent not connected");
  });
});
