// Starts a real Kubernetes control plane on loopback from the cached testbed binaries: etcd,
// kube-apiserver (RBAC, generated serving certificate, service-account keys, an admin token),
// kube-controller-manager, kube-scheduler and kwok with one fake node, then writes a kubeconfig.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import https from "node:https";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { KWOK_STAGES_FILE, TestbedStepError, tail } from "./build";
import { TESTBED_DEFAULT_KUBERNETES, binDir } from "./versions";

export const FAKE_NODE_NAME = "testbed-node-1";

export interface TestbedOptions {
  /** Folder for data, certificates, logs and the kubeconfig; created if missing. */
  dir: string;
  version?: string;
  /** Start kube-controller-manager, kube-scheduler and kwok (default true). */
  workloads?: boolean;
  /** kube-apiserver's --etcd-compaction-interval, e.g. "10s", so tests can force 410 Gone. */
  etcdCompactionInterval?: string;
  /**
   * kube-apiserver's watch cache (default on). Off, every watch reads etcd, so a watch resumed from a
   * revision that etcd has compacted away is answered 410 Gone at once, not served from the cache's window.
   */
  watchCache?: boolean;
  /** Leave the processes running when this Node process exits (for `npm run testbed:up`). */
  detached?: boolean;
  log?: (msg: string) => void;
}

export interface TestbedState {
  dir: string;
  version: string;
  server: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  caFile: string;
  /** Bearer token of the admin identity (group system:masters). */
  adminToken: string;
  kubeconfig: string;
  etcdUrl: string;
  binDir: string;
  pids: Record<string, number>;
}

export interface Testbed extends TestbedState {
  kubectlPath: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Started {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: { code: number | null } | null;
}

function startProcess(name: string, bin: string, args: string[], dir: string, detached: boolean): Started {
  const logFile = path.join(dir, "logs", `${name}.log`);
  const fd = fs.openSync(logFile, "a");
  const child = spawn(bin, args, { stdio: ["ignore", fd, fd], detached });
  fs.closeSync(fd);
  const started: Started = { name, child, logFile, exited: null };
  child.on("exit", (code) => {
    started.exited = { code };
  });
  if (detached) child.unref();
  return started;
}

async function logTail(p: Started): Promise<string> {
  return tail(await fsp.readFile(p.logFile, "utf8").catch(() => ""));
}

/** Polls `check` until it returns true, failing with the process's log tail if it exits or times out. */
async function waitFor(p: Started, what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.exited) throw new TestbedStepError(`start ${p.name}`, `${p.name} exited with code ${p.exited.code}`, await logTail(p));
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new TestbedStepError(`start ${p.name}`, `${what} not reached within ${timeoutMs / 1000}s`, await logTail(p));
}

function httpGetOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); }).on("error", () => resolve(false));
  });
}

/** One authenticated request to the apiserver; resolves with the status code and body. */
export function apiserverRequest(
  tb: Pick<TestbedState, "server" | "caFile" | "adminToken">,
  method: string,
  urlPath: string,
  body?: unknown,
  contentType = method === "PATCH" ? "application/merge-patch+json" : "application/json",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, tb.server);
    const req = https.request(
      url,
      {
        method,
        ca: fs.readFileSync(tb.caFile),
        headers: { authorization: `Bearer ${tb.adminToken}`, "content-type": contentType },
      },
      (res) => {
        let data = "";
        res.on("data", (c: Buffer) => (data += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

function kubeconfigText(server: string, caPem: string, token: string): string {
  // JSON is valid YAML, and kubectl and client libraries read it as a kubeconfig.
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "testbed", cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") } }],
      users: [{ name: "testbed-admin", user: { token } }],
      contexts: [{ name: "testbed", context: { cluster: "testbed", user: "testbed-admin", namespace: "default" } }],
      "current-context": "testbed",
    },
    null,
    2,
  );
}

export async function startTestbed(opts: TestbedOptions): Promise<Testbed> {
  const version = opts.version ?? TESTBED_DEFAULT_KUBERNETES;
  const log = opts.log ?? (() => {});
  const workloads = opts.workloads ?? true;
  const detached = opts.detached ?? false;
  const bins = binDir(version);
  const bin = (name: string) => path.join(bins, name);
  if (!fs.existsSync(bin("kube-apiserver"))) {
    throw new TestbedStepError("find binaries", `no testbed binaries for v${version} in ${bins}; run npm run testbed:build`, "");
  }
  const dir = path.resolve(opts.dir);
  for (const sub of ["logs", "pki", "etcd"]) await fsp.mkdir(path.join(dir, sub), { recursive: true });
  const started: Started[] = [];
  const stop = async () => {
    for (const p of [...started].reverse()) {
      if (!p.exited) p.child.kill("SIGTERM");
    }
    const deadline = Date.now() + 10_000;
    while (started.some((p) => !p.exited) && Date.now() < deadline) await sleep(50);
    for (const p of started) if (!p.exited) p.child.kill("SIGKILL");
  };

  try {
    // Service-account signing keys and the admin identity.
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const saKey = path.join(dir, "pki", "sa.key");
    const saPub = path.join(dir, "pki", "sa.pub");
    await fsp.writeFile(saKey, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    await fsp.writeFile(saPub, publicKey.export({ type: "spki", format: "pem" }));
    const adminToken = crypto.randomBytes(32).toString("hex");
    const tokenFile = path.join(dir, "pki", "tokens.csv");
    await fsp.writeFile(tokenFile, `${adminToken},testbed-admin,testbed-admin-uid,"system:masters"\n`, { mode: 0o600 });

    log("testbed: starting etcd");
    const [etcdPort, peerPort, apiPort, cmPort, schedPort, kwokPort] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startProcess("etcd", bin("etcd"), [
      "--name=testbed",
      `--data-dir=${path.join(dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=testbed=http://127.0.0.1:${peerPort}`,
      "--unsafe-no-fsync=true",
      "--log-level=warn",
    ], dir, detached);
    started.push(etcd);
    await waitFor(etcd, "etcd /health", () => httpGetOk(`${etcdUrl}/health`));

    log("testbed: starting kube-apiserver");
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProcess("kube-apiserver", bin("kube-apiserver"), [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(dir, "pki")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      "--service-cluster-ip-range=10.0.0.0/24",
      "--endpoint-reconciler-type=none",
      "--authorization-mode=RBAC",
      `--token-auth-file=${tokenFile}`,
      "--allow-privileged=true",
      ...(opts.etcdCompactionInterval ? [`--etcd-compaction-interval=${opts.etcdCompactionInterval}`] : []),
      ...(opts.watchCache === false ? ["--watch-cache=false"] : []),
      // New nodes get a not-ready taint from TaintNodesByCondition, which only the node-lifecycle
      // controller removes; that controller is off (kwok's fake node has no kubelet), so skip the taint.
      `--disable-admission-plugins=${workloads ? "TaintNodesByCondition" : "TaintNodesByCondition,ServiceAccount"}`,
    ], dir, detached);
    started.push(apiserver);
    const caFile = path.join(dir, "pki", "apiserver.crt");
    const state: TestbedState = {
      dir, version, server, caFile, adminToken, etcdUrl, binDir: bins,
      kubeconfig: path.join(dir, "kubeconfig"),
      pids: {},
    };
    await waitFor(apiserver, "kube-apiserver /readyz", async () => {
      if (!fs.existsSync(caFile)) return false;
      return (await apiserverRequest(state, "GET", "/readyz")).status === 200;
    }, 120_000);
    await waitFor(apiserver, "namespace default", async () =>
      (await apiserverRequest(state, "GET", "/api/v1/namespaces/default")).status === 200);
    await fsp.writeFile(state.kubeconfig, kubeconfigText(server, await fsp.readFile(caFile, "utf8"), adminToken), { mode: 0o600 });

    if (workloads) {
      log("testbed: starting kube-controller-manager, kube-scheduler and kwok");
      const cm = startProcess("kube-controller-manager", bin("kube-controller-manager"), [
        `--kubeconfig=${state.kubeconfig}`,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        `--secure-port=${cmPort}`,
        `--root-ca-file=${caFile}`,
        `--service-account-private-key-file=${saKey}`,
        "--controllers=*,-nodeipam,-nodelifecycle,-service-lb-controller,-cloud-node-lifecycle",
      ], dir, detached);
      const sched = startProcess("kube-scheduler", bin("kube-scheduler"), [
        `--kubeconfig=${state.kubeconfig}`,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        `--secure-port=${schedPort}`,
      ], dir, detached);
      const kwok = startProcess("kwok", bin("kwok"), [
        `--kubeconfig=${state.kubeconfig}`,
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        `--server-address=127.0.0.1:${kwokPort}`,
        "--node-ip=127.0.0.1",
        `--config=${bin(KWOK_STAGES_FILE)}`,
      ], dir, detached);
      started.push(cm, sched, kwok);
      const node = {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: FAKE_NODE_NAME,
          annotations: { "kwok.x-k8s.io/node": "fake" },
          labels: { "kubernetes.io/hostname": FAKE_NODE_NAME, "kubernetes.io/os": "linux", type: "kwok" },
        },
        status: { allocatable: { cpu: "32", memory: "256Gi", pods: "110" }, capacity: { cpu: "32", memory: "256Gi", pods: "110" } },
      };
      const created = await apiserverRequest(state, "POST", "/api/v1/nodes", node);
      if (created.status !== 201) throw new TestbedStepError("create fake node", `apiserver answered ${created.status}`, created.body);
      await waitFor(kwok, `node ${FAKE_NODE_NAME} Ready`, async () => {
        const res = await apiserverRequest(state, "GET", `/api/v1/nodes/${FAKE_NODE_NAME}`);
        const conds = (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
        return conds.some((c) => c.type === "Ready" && c.status === "True");
      });
      await waitFor(cm, "service account default/default", async () =>
        (await apiserverRequest(state, "GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200);
      if (sched.exited) throw new TestbedStepError("start kube-scheduler", `exited with ${sched.exited.code}`, await logTail(sched));
    }
    for (const p of started) state.pids[p.name] = p.child.pid ?? 0;
    await fsp.writeFile(path.join(dir, "state.json"), JSON.stringify(state, null, 2));
    log(`testbed: ready at ${server}`);
    return { ...state, kubectlPath: bin("kubectl"), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Stops the processes listed in a testbed folder's state.json and removes the folder. */
export async function stopTestbedDir(dir: string): Promise<boolean> {
  const file = path.join(dir, "state.json");
  if (!fs.existsSync(file)) {
    await fsp.rm(dir, { recursive: true, force: true });
    return false;
  }
  const state = JSON.parse(await fsp.readFile(file, "utf8")) as TestbedState;
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  const pids = Object.values(state.pids).filter((p) => p > 0).reverse();
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  await fsp.rm(dir, { recursive: true, force: true });
  return true;
}
