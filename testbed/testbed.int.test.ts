// The testbed is a real Kubernetes control plane: objects round-trip through etcd, watches deliver
// events in order, the built kubectl sees the same objects, and kwok makes pods reach Running.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);

describe("testbed cluster", () => {
  const tb = inject("testbed");
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(tb.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ns = `it-${Date.now().toString(36)}`;

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: ns } } });
  });
  afterAll(async () => {
    await core.deleteNamespace({ name: ns }).catch(() => {});
  });

  it("creates a namespace and a ConfigMap and reads them back", async () => {
    const read = await core.readNamespace({ name: ns });
    expect(read.status?.phase).toBe("Active");
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "settings" }, data: { color: "blue" } },
    });
    const cm = await core.readNamespacedConfigMap({ namespace: ns, name: "settings" });
    expect(cm.data).toEqual({ color: "blue" });
  });

  it("delivers ADDED, MODIFIED and DELETED watch events in order", async () => {
    const events: { type: string; name: string; value?: string }[] = [];
    const watch = new k8s.Watch(kc);
    let resolveDeleted!: () => void;
    const deleted = new Promise<void>((r) => (resolveDeleted = r));
    const req = await watch.watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { fieldSelector: "metadata.name=watched" },
      (type: string, obj: k8s.V1ConfigMap) => {
        events.push({ type, name: obj.metadata?.name ?? "", value: obj.data?.v });
        if (type === "DELETED") resolveDeleted();
      },
      () => {},
    );
    try {
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: "watched" }, data: { v: "1" } },
      });
      await core.replaceNamespacedConfigMap({
        namespace: ns,
        name: "watched",
        body: { metadata: { name: "watched" }, data: { v: "2" } },
      });
      await core.deleteNamespacedConfigMap({ namespace: ns, name: "watched" });
      await deleted;
    } finally {
      req.abort();
    }
    expect(events).toEqual([
      { type: "ADDED", name: "watched", value: "1" },
      { type: "MODIFIED", name: "watched", value: "2" },
      { type: "DELETED", name: "watched", value: "2" },
    ]);
  });

  it("lists the same objects with the built kubectl", async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "second" }, data: { a: "b" } } });
    const { stdout } = await run(tb.kubectlPath, [
      "--kubeconfig",
      tb.kubeconfig,
      "-n",
      ns,
      "get",
      "configmaps",
      "-o",
      "json",
    ]);
    const viaKubectl = (JSON.parse(stdout) as { items: { metadata: { name: string } }[] }).items
      .map((i) => i.metadata.name)
      .sort();
    const viaClient = (await core.listNamespacedConfigMap({ namespace: ns })).items.map((i) => i.metadata?.name).sort();
    expect(viaKubectl).toEqual(viaClient);
    expect(viaKubectl).toEqual(expect.arrayContaining(["settings", "second", "kube-root-ca.crt"]));
    const { stdout: version } = await run(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, "version", "-o", "json"]);
    expect((JSON.parse(version) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion).toBe(
      `v${tb.version}`,
    );
  });

  it("runs a Pod to Running on the kwok node", async () => {
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
    });
    let phase: string | undefined;
    let node: string | undefined;
    for (let i = 0; i < 150 && phase !== "Running"; i++) {
      const pod = await core.readNamespacedPod({ namespace: ns, name: "web" });
      phase = pod.status?.phase;
      node = pod.spec?.nodeName;
      if (phase !== "Running") await new Promise((r) => setTimeout(r, 200));
    }
    expect({ phase, node }).toEqual({ phase: "Running", node: "testbed-node-1" });
  });
});
