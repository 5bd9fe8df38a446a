import { describe, expect, it } from "vitest";
import { countContainers, podSummary, summarises } from "./summary";

describe("pod summaries", () => {
  it("summarise the pods of a namespace or of the cluster, and nothing else", () => {
    expect(summarises("/api/v1/pods")).toBe(true);
    expect(summarises("/api/v1/namespaces/default/pods")).toBe(true);
    expect(summarises("/api/v1/namespaces/default/configmaps")).toBe(false);
    expect(summarises("/apis/example.com/v1/pods")).toBe(false);
  });

  it("keep what tables and the Overview read, and leave the spec's containers out", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "web",
        namespace: "apps",
        uid: "u1",
        resourceVersion: "7",
        creationTimestamp: "2026-01-01T00:00:00Z",
        labels: { app: "web" },
        annotations: { big: "x".repeat(1000) },
      },
      spec: { nodeName: "node-1", containers: [{ name: "web", image: "nginx" }] },
      status: { phase: "Failed", reason: "Evicted", containerStatuses: [{ name: "web" }] },
    };
    expect(podSummary(pod)).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "web",
        namespace: "apps",
        uid: "u1",
        resourceVersion: "7",
        creationTimestamp: "2026-01-01T00:00:00Z",
        deletionTimestamp: undefined,
        labels: { app: "web" },
        ownerReferences: undefined,
      },
      spec: { nodeName: "node-1", images: ["nginx"] },
      status: {
        phase: "Failed",
        reason: "Evicted",
        podIP: undefined,
        containers: { ready: 0, total: 1, restarts: 0, reason: "" },
      },
    });
  });

  it("count containers as kubectl get pods does: ready of total, restarts, and why one is stuck", () => {
    expect(
      countContainers([
        { ready: true, restartCount: 1, state: {} },
        { ready: false, restartCount: 5, state: { waiting: { reason: "CrashLoopBackOff" } } },
        { ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff" } } },
      ]),
    ).toEqual({ ready: 1, total: 3, restarts: 6, reason: "CrashLoopBackOff" });
    expect(countContainers([{ ready: false, state: { terminated: { reason: "OOMKilled" } } }])).toEqual({
      ready: 0,
      total: 1,
      restarts: 0,
      reason: "OOMKilled",
    });
    expect(countContainers([])).toEqual({ ready: 0, total: 0, restarts: 0, reason: "" });
  });

  it("count a Pending pod's containers from its spec, as kubectl does: 0/1, not 0/0", () => {
    const pending = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "queued", namespace: "apps" },
      spec: { containers: [{ name: "web", image: "nginx" }] },
      status: { phase: "Pending" },
    };
    expect((podSummary(pending).status as { containers: unknown }).containers).toEqual({
      ready: 0,
      total: 1,
      restarts: 0,
      reason: "",
    });
    expect(countContainers([{ ready: true }], 2)).toEqual({ ready: 1, total: 2, restarts: 0, reason: "" });
  });
});
