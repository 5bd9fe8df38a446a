// metrics-server in the testbed: the real sigs.k8s.io/metrics-server, built from the Go module proxy (wrapper
// module testbed/go/metrics-server) into the cache once per pinned version, lazily, and run as a host process
// only when a test asks (startMetricsServer). The kube-apiserver serves it as the aggregated API
// metrics.k8s.io (APIService v1beta1.metrics.k8s.io); metrics-server scrapes the fake node's "kubelet",
// which is kwok emulating /metrics/resource (see the notes at the end of this file).
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { progress } from "./build";
import { withCacheLock } from "./cache-lock";
import {
  FAKE_NODE_NAME,
  type Started,
  type TestbedState,
  apiserverRequest,
  freePort,
  logTail,
  startProcess,
  waitFor,
} from "./cluster";
import { type Log, TestbedStepError, run } from "./run";
import { cacheRoot } from "./versions";

export const METRICS_SERVER_VERSION = "0.8.0";
const MODULE = "sigs.k8s.io/metrics-server";
const moduleDir = path.join(__dirname, "go", "metrics-server");

/** kwok's path for a node's emulated kubelet resource metrics (its Metric document in the testbed's kwok config). */
export const KWOK_RESOURCE_METRICS_PATH = "/metrics/nodes/{nodeName}/metrics/resource";
/** The node annotation metrics-server reads to scrape another path than the kubelet's /metrics/resource. */
export const RESOURCE_METRICS_PATH_ANNOTATION = "metrics.k8s.io/resource-metrics-path";
/** Pod annotations kwok's ClusterResourceUsage (testbed config) reads as the pod's CPU and memory usage. */
export const USAGE_CPU_ANNOTATION = "kwok.x-k8s.io/usage-cpu";
export const USAGE_MEMORY_ANNOTATION = "kwok.x-k8s.io/usage-memory";

export function metricsServerPath(): string {
  return path.join(cacheRoot(), `metrics-server-v${METRICS_SERVER_VERSION}`, "metrics-server");
}

/** Whether the cache has metrics-server already (else the first startMetricsServer builds it: minutes). */
export function metricsServerBuilt(): boolean {
  return fs.existsSync(metricsServerPath());
}

/** The metrics-server version testbed/go/metrics-server/go.mod requires. */
export function pinnedMetricsServerVersion(goMod: string): string | undefined {
  return new RegExp(`^\\s*(?:require\\s+)?${MODULE.replace(/\./g, "\\.")} v(\\S+)`, "m").exec(goMod)?.[1];
}

/** Returns the cached metrics-server binary, building it first (minutes on 2 cores) if it is not there. */
export async function ensureMetricsServer(log: Log = (m) => console.log(m)): Promise<string> {
  const bin = metricsServerPath();
  return withCacheLock(
    `metrics-server-v${METRICS_SERVER_VERSION}`,
    () => fs.existsSync(bin),
    () => buildMetricsServer(bin, log),
    () => bin,
    log,
  );
}

async function buildMetricsServer(bin: string, log: Log): Promise<string> {
  const pinned = pinnedMetricsServerVersion(await fsp.readFile(path.join(moduleDir, "go.mod"), "utf8"));
  if (pinned !== METRICS_SERVER_VERSION) {
    throw new Error(
      `testbed/go/metrics-server/go.mod pins ${pinned ?? "(none)"} but testbed/metrics-server.ts says ${METRICS_SERVER_VERSION}`,
    );
  }
  await fsp.mkdir(path.dirname(bin), { recursive: true });
  const started = Date.now();
  log(`testbed: building metrics-server v${METRICS_SERVER_VERSION} into ${bin} (first time only; minutes on 2 cores)`);
  // Build beside the target and rename, so an interrupted build never leaves a half-written binary.
  const partial = `${bin}.partial-${process.pid}`;
  const p = progress("metrics-server", log);
  try {
    await run(
      "build metrics-server",
      "nice",
      [
        "-n",
        "19",
        "go",
        "build",
        "-v",
        "-trimpath",
        "-ldflags",
        "-s -w",
        "-o",
        partial,
        `${MODULE}/cmd/metrics-server`,
      ],
      { cwd: moduleDir, env: { CGO_ENABLED: "0", GOWORK: "off" }, onLine: p.onLine },
    ).finally(p.done);
    await fsp.rename(partial, bin);
  } finally {
    await fsp.rm(partial, { force: true });
  }
  log(`testbed: metrics-server ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return bin;
}

export interface MetricsServer {
  pid: number;
  logFile: string;
  /** Stops metrics-server and removes its APIService: the cluster no longer serves metrics.k8s.io. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const APISERVICE = "/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io";

/**
 * Builds metrics-server if the cache lacks it, starts it on loopback against the testbed, registers it as
 * the aggregated API metrics.k8s.io, points it at kwok's emulated resource metrics of the fake node, and
 * waits until the API answers. Figures come with metrics-server's second scrape (10 s later); a node with
 * no pods uses nothing, and metrics-server leaves a node with zero usage out.
 */
export async function startMetricsServer(
  tb: Pick<TestbedState, "dir" | "server" | "caFile" | "adminToken" | "kubeconfig">,
  opts: { log?: Log; timeoutMs?: number; detached?: boolean } = {},
): Promise<MetricsServer> {
  const log = opts.log ?? (() => {});
  const bin = await ensureMetricsServer(log);
  const dir = path.join(tb.dir, "metrics-server");
  await fsp.mkdir(path.join(dir, "logs"), { recursive: true, mode: 0o700 });
  await fsp.mkdir(path.join(dir, "certs"), { recursive: true, mode: 0o700 });
  const port = await freePort();
  const req = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  let proc: Started | undefined;
  const stop = async () => {
    await req("DELETE", APISERVICE).catch(() => undefined);
    if (!proc || proc.exited) return;
    proc.child.kill("SIGTERM");
    const deadline = Date.now() + 10_000;
    while (!proc.exited && Date.now() < deadline) await sleep(50);
    if (!proc.exited) proc.child.kill("SIGKILL");
  };
  try {
    log("testbed: starting metrics-server");
    proc = startProcess(
      "metrics-server",
      bin,
      [
        "--bind-address=127.0.0.1",
        `--secure-port=${port}`,
        `--cert-dir=${path.join(dir, "certs")}`,
        `--kubeconfig=${tb.kubeconfig}`,
        `--authentication-kubeconfig=${tb.kubeconfig}`,
        `--authorization-kubeconfig=${tb.kubeconfig}`,
        // kwok's "kubelet" serves a throwaway self-signed certificate on the node's InternalIP and status port.
        "--kubelet-insecure-tls",
        "--kubelet-preferred-address-types=InternalIP",
        "--kubelet-use-node-status-port",
        // The shortest metrics-server accepts: the first CPU rate needs two scrapes.
        "--metric-resolution=10s",
        // Must stay under 90% of the resolution (its default, 10 s, does not).
        "--kubelet-request-timeout=5s",
      ],
      dir,
      opts.detached ?? false,
      { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
    );
    await waitFor(proc, "metrics-server listening", () => portOpen(port));

    // The aggregator reaches a Service; an ExternalName one resolves to its name and the APIService's port
    // (Endpoints may not hold loopback addresses, which rules out --enable-aggregator-routing here).
    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "metrics-server", namespace: "kube-system" },
      spec: { type: "ExternalName", externalName: "localhost" },
    };
    await ensureObject(req, "/api/v1/namespaces/kube-system/services", "metrics-server", svc);
    const apiService = {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: "v1beta1.metrics.k8s.io" },
      spec: {
        group: "metrics.k8s.io",
        version: "v1beta1",
        service: { namespace: "kube-system", name: "metrics-server", port },
        // metrics-server's serving certificate is self-signed (--cert-dir).
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    };
    await req("DELETE", APISERVICE);
    const created = await req("POST", "/apis/apiregistration.k8s.io/v1/apiservices", apiService);
    if (created.status !== 201)
      throw new TestbedStepError("register metrics.k8s.io", `apiserver answered ${created.status}`, created.body);

    // metrics-server scrapes kwok's emulated resource metrics for the node, not the kubelet's default path.
    const patched = await req("PATCH", `/api/v1/nodes/${FAKE_NODE_NAME}`, {
      metadata: {
        annotations: {
          [RESOURCE_METRICS_PATH_ANNOTATION]: KWOK_RESOURCE_METRICS_PATH.replace("{nodeName}", FAKE_NODE_NAME),
        },
      },
    });
    if (patched.status !== 200)
      throw new TestbedStepError("annotate node for metrics", `apiserver answered ${patched.status}`, patched.body);

    const started = proc;
    // Served: the aggregator reaches metrics-server and it answers (figures follow its second scrape, and a
    // node without pods has no usage, which metrics-server leaves out).
    await waitFor(
      started,
      "metrics.k8s.io served by metrics-server",
      async () => (await req("GET", "/apis/metrics.k8s.io/v1beta1/nodes")).status === 200,
      opts.timeoutMs ?? 90_000,
    );
    log(`testbed: metrics-server serves metrics.k8s.io (port ${port})`);
    return { pid: started.child.pid ?? 0, logFile: started.logFile, stop };
  } catch (e) {
    const tailText = proc ? await logTail(proc) : "";
    await stop();
    if (e instanceof TestbedStepError || !tailText) throw e;
    throw new TestbedStepError("start metrics-server", String(e), tailText);
  }
}

async function ensureObject(
  req: (method: string, p: string, body?: unknown) => Promise<{ status: number; body: string }>,
  collection: string,
  name: string,
  body: unknown,
): Promise<void> {
  const res = await req("POST", collection, body);
  if (res.status === 201 || res.status === 409) return;
  throw new TestbedStepError(`create ${collection}/${name}`, `apiserver answered ${res.status}`, res.body);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

// Notes: metrics.k8s.io on the testbed.
// - The kube-apiserver always starts with the aggregation layer's front-proxy flags (a front-proxy CA and
//   client certificate made at start-up, --requestheader-*): without them an aggregated API cannot tell
//   who the proxied user is. metrics-server reads that CA from kube-system/extension-apiserver-authentication
//   and asks the apiserver (TokenReview, SubjectAccessReview) about everything else, as the testbed admin.
// - kwok always runs with a Metric document (its upstream metrics-resource.yaml, served at
//   /metrics/nodes/<node>/metrics/resource) and a ClusterResourceUsage that reads each pod's usage from the
//   annotations kwok.x-k8s.io/usage-cpu and -memory (default 1m and 1Mi); the node's usage is its pods' sum.
//   metrics-server scrapes that path when the node carries metrics.k8s.io/resource-metrics-path
//   (startMetricsServer adds it), at the node's InternalIP and status port, like kwokctl's own recipe.
// - CPU is a rate of kwok's cumulative counter: a pod or node shows up in metrics.k8s.io after two scrapes.
//   metrics-server drops a node whose CPU or memory is 0, so the fake node has figures only while pods run on it.
// - metrics-server logs "missing content for CA bundle client-ca::...::client-ca-file" over and over: the
//   testbed's apiserver authenticates by token, with no --client-ca-file; harmless.
