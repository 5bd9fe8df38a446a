// The testbed serves the streaming verbs for pods on its kwok node: the built kubectl gets logs (also
// followed), runs a command with exec, attaches, and port-forwards to a local TCP server. kwok plays the
// kubelet; the rules it follows are in testbed/cluster.ts (TestbedStreams).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest, startPod } from "./cluster";
import { checkAttach, checkExec, checkFollow, checkLogs, checkPortForward, kubectlWith } from "./streaming-checks";

const tb = inject("testbed");

describe("testbed streaming verbs (kwok as the kubelet)", () => {
  const ns = `streams-${Date.now().toString(36)}`;
  const pod = "streamer";
  const streams = tb.streams;
  if (!streams) throw new Error("the integration testbed runs workloads, so it must describe its streams");

  beforeAll(async () => {
    const res = await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
    expect(res.status).toBe(201);
    await startPod(tb, ns, pod);
  });
  afterAll(async () => {
    await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${ns}`).catch(() => {});
  });

  const k = kubectlWith(tb.kubectlPath, tb.kubeconfig);
  it("kubectl logs prints the container's log lines", () => checkLogs(k, streams, ns, pod));
  it("kubectl logs -f prints the log, then lines written later, until stopped", () => checkFollow(k, streams, ns, pod));
  it("kubectl exec runs an allowed command and nothing else", () => checkExec(k, streams, ns, pod));
  it("kubectl attach shows lines the container writes after attaching", () => checkAttach(k, streams, ns, pod));
  it("kubectl port-forward reaches a local TCP server through the pod's port", () =>
    checkPortForward(k, streams, ns, pod));
});
