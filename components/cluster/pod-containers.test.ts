import { describe, expect, it } from "vitest";
import { podContainers } from "./pod-containers";

describe("a pod's containers", () => {
  it("say each container's state as kubectl describe does: waiting with its reason, terminated with exit code, last state", () => {
    const rows = podContainers({
      metadata: { name: "web" },
      spec: {
        initContainers: [{ name: "migrate", image: "app:1" }],
        containers: [
          { name: "app", image: "app:1" },
          { name: "sidecar", image: "proxy:2" },
          { name: "late", image: "late:1" },
        ],
      },
      status: {
        initContainerStatuses: [
          {
            name: "migrate",
            ready: false,
            restartCount: 0,
            state: { terminated: { reason: "Completed", exitCode: 0, finishedAt: "2026-01-01T00:00:05Z" } },
          },
        ],
        containerStatuses: [
          {
            name: "app",
            image: "docker.io/library/app:1",
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } },
            lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: "2026-01-01T00:01:00Z" } },
          },
          {
            name: "sidecar",
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: "2026-01-01T00:00:06Z" } },
          },
        ],
      },
    });
    expect(rows).toEqual([
      {
        name: "migrate",
        type: "init",
        image: "app:1",
        state: "Terminated: Completed (exit code 0)",
        message: "",
        since: "2026-01-01T00:00:05Z",
        ready: false,
        restarts: 0,
        lastState: "",
      },
      {
        name: "app",
        type: "container",
        image: "docker.io/library/app:1",
        state: "Waiting: CrashLoopBackOff",
        message: "back-off 40s restarting failed container",
        since: "",
        ready: false,
        restarts: 4,
        lastState: "Terminated: OOMKilled (exit code 137)",
      },
      {
        name: "sidecar",
        type: "container",
        image: "proxy:2",
        state: "Running",
        message: "",
        since: "2026-01-01T00:00:06Z",
        ready: true,
        restarts: 0,
        lastState: "",
      },
      {
        name: "late",
        type: "container",
        image: "late:1",
        state: "Not started",
        message: "",
        since: "",
        ready: false,
        restarts: 0,
        lastState: "",
      },
    ]);
  });

  it("a pod summary (no spec containers) has none to list", () => {
    expect(podContainers({ metadata: { name: "x" }, spec: { images: ["a"] }, status: {} })).toEqual([]);
  });
});
