import { describe, expect, it } from "vitest";
import type { KubeItem } from "./kinds";
import { failingWorkloads, overviewOf, podsByPhase, recentWarnings } from "./overview";

const item = (name: string, rest: Partial<KubeItem> = {}, namespace = "default"): KubeItem => ({ metadata: { name, namespace }, ...rest });
const node = (name: string, ready: string) => item(name, { status: { conditions: [{ type: "Ready", status: ready }] } }, undefined);

describe("overview", () => {
  it("counts nodes whose Ready condition is True out of all nodes", () => {
    const o = overviewOf({ nodes: [node("a", "True"), node("b", "False"), item("c", {}, undefined)], pods: [], deployments: [], statefulsets: [], daemonsets: [], events: [] });
    expect(o.nodes).toEqual({ ready: 1, total: 3 });
  });

  it("counts pods by phase, always listing the five phases and a pod without status as Unknown", () => {
    const counts = Object.fromEntries(podsByPhase([item("a", { status: { phase: "Running" } }), item("b", { status: { phase: "Running" } }), item("c", { status: { phase: "Pending" } }), item("d")]));
    expect(counts).toEqual({ Running: 2, Pending: 1, Succeeded: 0, Failed: 0, Unknown: 1 });
  });

  it("lists workloads with fewer ready than desired, treating unset replicas as 1 and ignoring scaled-to-zero ones", () => {
    const failing = failingWorkloads({
      deployments: [item("ok", { spec: { replicas: 2 }, status: { readyReplicas: 2 } }), item("short", { spec: { replicas: 3 }, status: { readyReplicas: 1 } }), item("default-one", { spec: {}, status: {} }), item("zero", { spec: { replicas: 0 }, status: {} })],
      statefulsets: [item("db", { spec: { replicas: 1 }, status: {} }, "data")],
      daemonsets: [item("logs", { status: { desiredNumberScheduled: 2, numberReady: 1 } }, "kube-system"), item("fine", { status: { desiredNumberScheduled: 2, numberReady: 2 } })],
    });
    expect(failing.map((f) => `${f.kind} ${f.namespace}/${f.name} ${f.ready}/${f.desired}`)).toEqual(["StatefulSet data/db 0/1", "Deployment default/default-one 0/1", "Deployment default/short 1/3", "DaemonSet kube-system/logs 1/2"]);
  });

  it("keeps only Warning events, newest first, at most the limit", () => {
    const events = [
      item("e1", { type: "Normal", reason: "Pulled", lastTimestamp: "2026-01-01T00:00:09Z" }),
      item("e2", { type: "Warning", reason: "BackOff", message: "restarting", involvedObject: { kind: "Pod", name: "p" }, count: 4, lastTimestamp: "2026-01-01T00:00:02Z" }),
      item("e3", { type: "Warning", reason: "FailedMount", lastTimestamp: "2026-01-01T00:00:05Z" }),
      item("e4", { type: "Warning", reason: "Old", lastTimestamp: "2026-01-01T00:00:01Z" }),
    ];
    const warnings = recentWarnings(events, 2);
    expect(warnings.map((w) => w.reason)).toEqual(["FailedMount", "BackOff"]);
    expect(warnings[1]).toMatchObject({ object: "Pod/p", message: "restarting", count: 4 });
  });
});
