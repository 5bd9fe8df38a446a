import { describe, expect, it } from "vitest";
import type { KubeItem } from "./kinds";
import { clusterReach, failingWorkloads, overviewOf, podsByPhase, recentWarnings, type ReachFacts } from "./overview";

const item = (name: string, rest: Partial<KubeItem> = {}, namespace = "default"): KubeItem => ({
  metadata: { name, namespace },
  ...rest,
});
const node = (name: string, ready: string) =>
  item(name, { status: { conditions: [{ type: "Ready", status: ready }] } }, undefined);

describe("overview", () => {
  it("counts nodes whose Ready condition is True out of all nodes", () => {
    const o = overviewOf({
      nodes: [node("a", "True"), node("b", "False"), item("c", {}, undefined)],
      pods: [],
      deployments: [],
      statefulsets: [],
      daemonsets: [],
      events: [],
    });
    expect(o.nodes).toEqual({ ready: 1, total: 3 });
  });

  it("counts pods by phase, always listing the five phases and a pod without status as Unknown", () => {
    const counts = Object.fromEntries(
      podsByPhase([
        item("a", { status: { phase: "Running" } }),
        item("b", { status: { phase: "Running" } }),
        item("c", { status: { phase: "Pending" } }),
        item("d"),
      ]),
    );
    expect(counts).toEqual({ Running: 2, Pending: 1, Succeeded: 0, Failed: 0, Unknown: 1 });
  });

  it("lists workloads with fewer ready than desired, treating unset replicas as 1 and ignoring scaled-to-zero ones", () => {
    const failing = failingWorkloads({
      deployments: [
        item("ok", { spec: { replicas: 2 }, status: { readyReplicas: 2 } }),
        item("short", { spec: { replicas: 3 }, status: { readyReplicas: 1 } }),
        item("default-one", { spec: {}, status: {} }),
        item("zero", { spec: { replicas: 0 }, status: {} }),
      ],
      statefulsets: [item("db", { spec: { replicas: 1 }, status: {} }, "data")],
      daemonsets: [
        item("logs", { status: { desiredNumberScheduled: 2, numberReady: 1 } }, "kube-system"),
        item("fine", { status: { desiredNumberScheduled: 2, numberReady: 2 } }),
      ],
    });
    expect(failing.map((f) => `${f.kind} ${f.namespace}/${f.name} ${f.ready}/${f.desired}`)).toEqual([
      "StatefulSet data/db 0/1",
      "Deployment default/default-one 0/1",
      "Deployment default/short 1/3",
      "DaemonSet kube-system/logs 1/2",
    ]);
  });

  it("keeps only Warning events, newest first, at most the limit", () => {
    const events = [
      item("e1", { type: "Normal", reason: "Pulled", lastTimestamp: "2026-01-01T00:00:09Z" }),
      item("e2", {
        type: "Warning",
        reason: "BackOff",
        message: "restarting",
        involvedObject: { kind: "Pod", name: "p" },
        count: 4,
        lastTimestamp: "2026-01-01T00:00:02Z",
      }),
      item("e3", { type: "Warning", reason: "FailedMount", lastTimestamp: "2026-01-01T00:00:05Z" }),
      item("e4", { type: "Warning", reason: "Old", lastTimestamp: "2026-01-01T00:00:01Z" }),
    ];
    const warnings = recentWarnings(events, 2);
    expect(warnings.map((w) => w.reason)).toEqual(["FailedMount", "BackOff"]);
    expect(warnings[1]).toMatchObject({ object: "Pod/p", message: "restarting", count: 4 });
  });
});

describe("cluster reach", () => {
  const facts = (rest: Partial<ReachFacts>): ReachFacts => ({
    agent: { status: "connected", lastContactAt: "2026-01-01T10:00:00Z", activeTokens: 1 },
    live: "live",
    received: true,
    sources: 6,
    refused: 0,
    viaUserAccess: false,
    ...rest,
  });

  it("says a never-connected agent never connected, whatever the stream did, and whether it has a token", () => {
    expect(
      clusterReach(
        facts({
          agent: { status: "never_connected", lastContactAt: null, activeTokens: 0 },
          live: "reconnecting",
          received: false,
        }),
      ),
    ).toEqual({ state: "never_connected", hasTokens: false });
    expect(
      clusterReach(
        facts({
          agent: { status: "never_connected", lastContactAt: null, activeTokens: 2 },
          live: "connecting",
          received: false,
        }),
      ),
    ).toEqual({ state: "never_connected", hasTokens: true });
  });

  it("says since when a disconnected agent is gone, and keeps figures only when some arrived before", () => {
    expect(
      clusterReach(
        facts({
          agent: { status: "not_connected", lastContactAt: "2026-01-01T09:00:00Z", activeTokens: 1 },
          live: "reconnecting",
          received: false,
        }),
      ),
    ).toEqual({ state: "disconnected", since: "2026-01-01T09:00:00Z", stale: false });
    expect(
      clusterReach(
        facts({ agent: { status: "not_connected", lastContactAt: null, activeTokens: 1 }, live: "reconnecting" }),
      ),
    ).toEqual({ state: "disconnected", since: null, stale: true });
  });

  it("says the viewer may list nothing when every collection shown was refused, and how they see the cluster", () => {
    expect(clusterReach(facts({ refused: 6 }))).toEqual({ state: "no_access", viaUserAccess: false });
    expect(clusterReach(facts({ sources: 1, refused: 1, viaUserAccess: true }))).toEqual({
      state: "no_access",
      viaUserAccess: true,
    });
    expect(clusterReach(facts({ refused: 1 }))).toEqual({ state: "ready" });
  });

  it("waits while the stream opens or the agent is unknown, and says unreachable when a connected agent's stream keeps failing", () => {
    expect(clusterReach(facts({ live: "connecting", received: false }))).toEqual({ state: "loading" });
    expect(clusterReach(facts({ agent: null, live: "reconnecting", received: false }))).toEqual({ state: "loading" });
    expect(clusterReach(facts({ live: "reconnecting", received: false }))).toEqual({ state: "unreachable" });
    expect(clusterReach(facts({}))).toEqual({ state: "ready" });
  });
});
