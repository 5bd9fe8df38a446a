import { describe, expect, it } from "vitest";
import { KINDS, cronJobStatus, daemonSetStatus, ingressStatus, jobStatus, readyText, type KubeItem } from "./kinds";

const item = (rest: Partial<KubeItem>): KubeItem => ({ metadata: { name: "x", namespace: "default" }, ...rest });

describe("kind status columns", () => {
  it("shows a Pending pod as Ready 0/1, counting the spec's containers, whether summarised or whole", () => {
    const ready = KINDS.find((k) => k.key === "pods")!.extraColumns!.find((c) => c.name === "Ready")!;
    expect(ready.value(item({ spec: { containers: [{ name: "web" }] }, status: { phase: "Pending" } }), 0)).toBe("0/1");
    expect(
      ready.value(
        item({ status: { phase: "Pending", containers: { ready: 0, total: 1, restarts: 0, reason: "" } } }),
        0,
      ),
    ).toBe("0/1");
  });

  it("shows a DaemonSet's ready pods out of those scheduled", () => {
    expect(daemonSetStatus(item({ status: { desiredNumberScheduled: 3, numberReady: 2 } }))).toBe("2/3 ready");
  });

  it("shows a Job as complete, failed, suspended or running with its progress", () => {
    expect(
      jobStatus(
        item({
          spec: { completions: 2 },
          status: { succeeded: 2, conditions: [{ type: "Complete", status: "True" }] },
        }),
      ),
    ).toBe("Complete 2/2");
    expect(jobStatus(item({ status: { conditions: [{ type: "Failed", status: "True" }] } }))).toBe("Failed");
    expect(jobStatus(item({ spec: { suspend: true } }))).toBe("Suspended");
    expect(jobStatus(item({ spec: { completions: 3 }, status: { succeeded: 1, failed: 2 } }))).toBe(
      "Running 1/3, 2 failed",
    );
  });

  it("shows a CronJob's schedule, suspension and active jobs", () => {
    expect(cronJobStatus(item({ spec: { schedule: "*/5 * * * *" }, status: { active: [{}, {}] } }))).toBe(
      "*/5 * * * *, 2 active",
    );
    expect(cronJobStatus(item({ spec: { schedule: "@daily", suspend: true } }))).toBe("@daily (suspended)");
  });

  it("shows an Ingress's hosts and the load balancer address once it has one", () => {
    expect(ingressStatus(item({ spec: { rules: [{ host: "a.example" }, {}] } }))).toBe("a.example, *");
    expect(
      ingressStatus(
        item({ spec: { rules: [{ host: "a.example" }] }, status: { loadBalancer: { ingress: [{ ip: "10.0.0.1" }] } } }),
      ),
    ).toBe("a.example → 10.0.0.1");
  });

  it("reads the Ready condition the way Flux reports it", () => {
    expect(readyText(item({ status: { conditions: [{ type: "Ready", status: "True", reason: "Succeeded" }] } }))).toBe(
      "Ready",
    );
    expect(
      readyText(item({ status: { conditions: [{ type: "Ready", status: "False", reason: "ArtifactFailed" }] } })),
    ).toBe("Not ready: ArtifactFailed");
    expect(
      readyText(item({ status: { conditions: [{ type: "Ready", status: "Unknown", reason: "Progressing" }] } })),
    ).toBe("Progressing");
    expect(readyText(item({}))).toBe("");
  });

  it("builds collection paths the live endpoint accepts, namespaced or cluster-wide", () => {
    const accepted =
      /^\/(api\/v1|apis\/[a-z0-9.-]+\/[a-z0-9]+)(\/namespaces\/[a-z0-9]([-a-z0-9]*[a-z0-9])?)?\/[a-z0-9]+$/;
    for (const k of KINDS) {
      expect(k.path(null)).toMatch(accepted);
      if (k.namespaced) expect(k.path("team-a")).toMatch(accepted);
    }
    expect(KINDS.find((k) => k.key === "ingresses")!.path("a")).toBe(
      "/apis/networking.k8s.io/v1/namespaces/a/ingresses",
    );
  });
});

describe("the Pods table", () => {
  const pods = KINDS.find((k) => k.key === "pods")!;
  const cells = (o: KubeItem) => pods.extraColumns!.map((c) => c.value(o, 0));
  it("shows READY, RESTARTS and NODE as kubectl get pods -o wide does, from the cache's summary", () => {
    const summary: KubeItem = {
      metadata: { name: "api" },
      spec: { nodeName: "node-2" },
      status: { phase: "Running", containers: { ready: 1, total: 2, restarts: 7, reason: "CrashLoopBackOff" } },
    };
    expect(cells(summary)).toEqual(["1/2 CrashLoopBackOff", "7", "node-2", "", "", ""]);
    expect(pods.status(summary)).toBe("Running");
  });
  it("counts a whole Pod object's containers too (the drawer's object)", () => {
    const pod: KubeItem = {
      metadata: { name: "api" },
      spec: {},
      status: {
        phase: "Pending",
        containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff" } } }],
      },
    };
    expect(cells(pod)).toEqual(["0/1 ImagePullBackOff", "0", "", "", "", ""]);
  });
});
