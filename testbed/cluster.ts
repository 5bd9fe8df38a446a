// Starts a real Kubernetes control plane on loopback from the cached testbed binaries: etcd,
// kube-apiserver (RBAC, generated serving certificate, service-account keys, an admin token),
// kube-controller-manager, kube-scheduler and kwok with one fake node, then writes a kubeconfig.
// kwok also plays the fake node's kubelet for the streaming verbs (logs, exec, attach, port-forward):
// see TestbedStreams and the notes at the end of this file.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import https from "node:https";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { generate } from "selfsigned";
import { KWOK_STAGES_FILE, TestbedStepError, tail } from "./build";
import { KWOK_METRICS_DOCS } from "./kwok-metrics";
import { TESTBED_DEFAULT_KUBERNETES, binDir, controllerManagerControllers } from "./versions";

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

/**
 * What the streaming verbs reach for any container of any pod on the kwok node (workloads only).
 * kwok reads these rules once, at start-up, from a config file the testbed writes.
 */
export interface TestbedStreams {
  /**
   * The log file (CRI format) that `kubectl logs [-f]` and `kubectl attach` read for every container;
   * `appendContainerLog` adds a line (a follower or an attached client sees it within a second).
   */
  logsFile: string;
  /** Lines `logsFile` starts with, so `kubectl logs` has output without anyone writing to it. */
  initialLogLines: readonly string[];
  /**
   * Where `kubectl port-forward` to any port of any pod leads. The testbed reserves the port (below the
   * kernel's ephemeral range, so no connection takes it as its source port meanwhile) but listens on
   * nothing: a test listens on it (one test at a time; the integration project runs files serially).
   */
  portForwardTarget: { host: string; port: number };
  /**
   * The only commands `kubectl exec` finds by name: kwok runs them on this host with a PATH of just these,
   * in an empty folder, and (when the testbed runs as root) as user nobody.
   */
  execCommands: readonly string[];
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
  /** Set when the testbed runs workloads (kwok): what logs, exec, attach and port-forward reach. */
  streams?: TestbedStreams;
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

/**
 * A free port the kernel never hands out by itself: below the ephemeral range (ip_local_port_range), from
 * which both `listen(0)` and every outgoing connection's local port are drawn. For a port the testbed
 * reserves and leaves unbound for a long time (the port-forward target): a port from `freePort()` was
 * once taken in between as some connection's source port, and the test's listen failed with EADDRINUSE.
 */
export async function reservedPort(): Promise<number> {
  let low = 32768;
  try {
    const [first] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    if (Number(first) > 11000) low = Number(first);
  } catch {
    // not Linux: the IANA ephemeral range starts at 49152, and 32768 is below it too
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10000 + Math.floor(Math.random() * (low - 10000));
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.unref();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between 10000 and ${low} after 50 tries`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Started {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Where this start's output begins in `logFile` (a process started again appends to the same file). */
  logOffset: number;
  exited: { code: number | null } | null;
}

export function startProcess(
  name: string,
  bin: string,
  args: string[],
  dir: string,
  detached: boolean,
  env?: Record<string, string>,
): Started {
  const logFile = path.join(dir, "logs", `${name}.log`);
  const fd = fs.openSync(logFile, "a");
  const logOffset = fs.fstatSync(fd).size;
  // `env`, when given, replaces our environment (NodeJS.ProcessEnv's declared NODE_ENV is not needed).
  const child = spawn(bin, args, { stdio: ["ignore", fd, fd], detached, env: env as NodeJS.ProcessEnv | undefined });
  fs.closeSync(fd);
  const started: Started = { name, child, logFile, logOffset, exited: null };
  child.on("exit", (code) => {
    started.exited = { code };
  });
  if (detached) child.unref();
  return started;
}

/** The end of what this start of the process wrote (not an earlier start's output in the same file). */
export async function logTail(p: Started): Promise<string> {
  const all = await fsp.readFile(p.logFile).catch(() => Buffer.alloc(0));
  return tail(all.subarray(p.logOffset).toString("utf8"));
}

/** Polls `check` until it returns true, failing with the process's log tail if it exits or times out. */
export async function waitFor(
  p: Started,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.exited)
      throw new TestbedStepError(`start ${p.name}`, `${p.name} exited with code ${p.exited.code}`, await logTail(p));
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new TestbedStepError(`start ${p.name}`, `${what} not reached within ${timeoutMs / 1000}s`, await logTail(p));
}

export function httpGetOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on("error", () => resolve(false));
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
      clusters: [
        { name: "testbed", cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") } },
      ],
      users: [{ name: "testbed-admin", user: { token } }],
      contexts: [{ name: "testbed", context: { cluster: "testbed", user: "testbed-admin", namespace: "default" } }],
      "current-context": "testbed",
    },
    null,
    2,
  );
}

/** One line of a CRI container log ("<RFC 3339 time> stdout F <text>"), the format kwok's log reader parses. */
function criLogLine(text: string, at = new Date()): string {
  return `${at.toISOString()} stdout F ${text}\n`;
}

/** Appends a line to the log that every container on the kwok node shows (`kubectl logs`, `-f`, attach). */
export async function appendContainerLog(streams: Pick<TestbedStreams, "logsFile">, text: string): Promise<void> {
  await fsp.appendFile(streams.logsFile, criLogLine(text));
}

const EXEC_COMMANDS = ["echo", "cat", "head", "printf", "sleep", "true", "false"] as const;
const NOBODY = 65534;

/**
 * Writes what kwok serves for the streaming verbs: a container log, a folder of the allowed exec
 * commands, and a kwok config file (ClusterLogs, ClusterAttach, ClusterExec, ClusterPortForward).
 * Returns the config file and the environment kwok must run with (PATH = the allowed commands only).
 */
async function prepareStreams(
  dir: string,
  portForwardPort: number,
): Promise<{ streams: TestbedStreams; configFile: string; env: Record<string, string> }> {
  const streamsDir = path.join(dir, "streams");
  const execBin = path.join(streamsDir, "bin");
  const execHome = path.join(streamsDir, "home");
  await fsp.mkdir(execBin, { recursive: true });
  await fsp.mkdir(execHome, { recursive: true });
  const execCommands: string[] = [];
  for (const cmd of EXEC_COMMANDS) {
    const target = ["/usr/bin", "/bin"].map((d) => path.join(d, cmd)).find((f) => fs.existsSync(f));
    if (!target) continue;
    await fsp.symlink(target, path.join(execBin, cmd));
    execCommands.push(cmd);
  }
  // Run exec'd commands as nobody when we are root (kwok looks the user up in /etc/passwd). nobody
  // must then reach the command folder: the testbed folder becomes traversable but not listable, and
  // everything in it but streams/ is private (logs/, pki/, etcd/ are 0700; kubeconfig, state.json 0600).
  const asNobody =
    process.getuid?.() === 0 && /^[^:]*:[^:]*:65534:/m.test(await fsp.readFile("/etc/passwd", "utf8").catch(() => ""));
  if (asNobody) {
    await fsp.chmod(dir, 0o711);
    for (const d of [streamsDir, execBin, execHome]) await fsp.chmod(d, 0o755);
  }
  const initialLogLines = ["testbed: container started", "testbed: serving"];
  const logsFile = path.join(streamsDir, "container.log");
  const t0 = Date.now() - 1000;
  await fsp.writeFile(logsFile, initialLogLines.map((l, i) => criLogLine(l, new Date(t0 + i))).join(""));
  const streams: TestbedStreams = {
    logsFile,
    initialLogLines,
    portForwardTarget: { host: "127.0.0.1", port: portForwardPort },
    execCommands,
  };
  const kind = (k: string, spec: unknown) => ({
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: k,
    metadata: { name: "testbed" },
    spec,
  });
  const docs = [
    // (Log.follow is unused by kwok 0.8.0's server: `kubectl logs -f` decides.)
    kind("ClusterLogs", { logs: [{ logsFile, previousLogsFile: logsFile }] }),
    kind("ClusterAttach", { attaches: [{ logsFile }] }),
    kind("ClusterExec", {
      execs: [
        {
          local: {
            workDir: execHome,
            envs: [
              { name: "PATH", value: execBin },
              { name: "HOME", value: execHome },
            ],
            ...(asNobody ? { securityContext: { runAsUser: NOBODY } } : {}),
          },
        },
      ],
    }),
    kind("ClusterPortForward", {
      forwards: [{ target: { address: streams.portForwardTarget.host, port: portForwardPort } }],
    }),
    // The kubelet's /metrics/resource, emulated: what metrics-server scrapes (testbed/metrics-server.ts).
    ...KWOK_METRICS_DOCS,
  ];
  const configFile = path.join(streamsDir, "kwok-streams.yaml");
  // JSON documents are YAML documents.
  await fsp.writeFile(configFile, docs.map((d) => JSON.stringify(d)).join("\n---\n") + "\n");
  // kwok resolves an exec'd command with its own PATH and passes its own environment on to it: give it
  // only the allowed commands and nothing of ours (HOME also keeps it from reading ~/.kwok).
  return { streams, configFile, env: { PATH: execBin, HOME: execHome } };
}

/**
 * The aggregation layer's front proxy: a CA that aggregated API servers (metrics-server) trust for the
 * proxied user's headers, and the client certificate kube-apiserver presents to them. Written to pki/.
 */
async function frontProxyPki(pki: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const ca = await generate([{ name: "commonName", value: "testbed-front-proxy-ca" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const client = await generate([{ name: "commonName", value: FRONT_PROXY_CLIENT }], {
    keyType: "ec",
    algorithm: "sha256",
    ca: { cert: ca.cert, key: ca.private },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", clientAuth: true },
    ],
  });
  const files = {
    caFile: path.join(pki, "front-proxy-ca.crt"),
    certFile: path.join(pki, "front-proxy-client.crt"),
    keyFile: path.join(pki, "front-proxy-client.key"),
  };
  await fsp.writeFile(files.caFile, ca.cert);
  await fsp.writeFile(files.certFile, client.cert);
  await fsp.writeFile(files.keyFile, client.private, { mode: 0o600 });
  return files;
}

const FRONT_PROXY_CLIENT = "front-proxy-client";

export async function startTestbed(opts: TestbedOptions): Promise<Testbed> {
  const version = opts.version ?? TESTBED_DEFAULT_KUBERNETES;
  const log = opts.log ?? (() => {});
  const workloads = opts.workloads ?? true;
  const detached = opts.detached ?? false;
  const bins = binDir(version);
  const bin = (name: string) => path.join(bins, name);
  if (!fs.existsSync(bin("kube-apiserver"))) {
    throw new TestbedStepError(
      "find binaries",
      `no testbed binaries for v${version} in ${bins}; run npm run testbed:build`,
      "",
    );
  }
  const dir = path.resolve(opts.dir);
  // Private to us: kwok's exec may run commands as nobody, who can pass through `dir` (see prepareStreams).
  for (const sub of ["logs", "pki", "etcd"]) {
    await fsp.mkdir(path.join(dir, sub), { recursive: true });
    await fsp.chmod(path.join(dir, sub), 0o700);
  }
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
    const frontProxy = await frontProxyPki(path.join(dir, "pki"));

    log("testbed: starting etcd");
    const [etcdPort, peerPort, apiPort, cmPort, schedPort, kwokPort] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startProcess(
      "etcd",
      bin("etcd"),
      [
        "--name=testbed",
        `--data-dir=${path.join(dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=testbed=http://127.0.0.1:${peerPort}`,
        "--unsafe-no-fsync=true",
        "--log-level=warn",
      ],
      dir,
      detached,
    );
    started.push(etcd);
    await waitFor(etcd, "etcd /health", () => httpGetOk(`${etcdUrl}/health`));

    log("testbed: starting kube-apiserver");
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProcess(
      "kube-apiserver",
      bin("kube-apiserver"),
      [
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
        // logs/exec/attach/port-forward go to the "kubelet" at the node's InternalIP (kwok's --node-ip)
        // and status.daemonEndpoints.kubeletEndpoint.Port (kwok's --node-port). Without
        // --kubelet-certificate-authority the apiserver does not verify kwok's self-signed certificate.
        "--kubelet-preferred-address-types=InternalIP",
        // The aggregation layer (metrics.k8s.io from metrics-server, when a test starts it): the client
        // certificate the apiserver proxies with, and the headers that carry the user to the extension.
        `--requestheader-client-ca-file=${frontProxy.caFile}`,
        `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        `--proxy-client-cert-file=${frontProxy.certFile}`,
        `--proxy-client-key-file=${frontProxy.keyFile}`,
      ],
      dir,
      detached,
    );
    started.push(apiserver);
    const caFile = path.join(dir, "pki", "apiserver.crt");
    const state: TestbedState = {
      dir,
      version,
      server,
      caFile,
      adminToken,
      etcdUrl,
      binDir: bins,
      kubeconfig: path.join(dir, "kubeconfig"),
      pids: {},
    };
    await waitFor(
      apiserver,
      "kube-apiserver /readyz",
      async () => {
        if (!fs.existsSync(caFile)) return false;
        return (await apiserverRequest(state, "GET", "/readyz")).status === 200;
      },
      120_000,
    );
    await waitFor(
      apiserver,
      "namespace default",
      async () => (await apiserverRequest(state, "GET", "/api/v1/namespaces/default")).status === 200,
    );
    await fsp.writeFile(state.kubeconfig, kubeconfigText(server, await fsp.readFile(caFile, "utf8"), adminToken), {
      mode: 0o600,
    });

    if (workloads) {
      log("testbed: starting kube-controller-manager, kube-scheduler and kwok");
      const cm = startProcess(
        "kube-controller-manager",
        bin("kube-controller-manager"),
        [
          `--kubeconfig=${state.kubeconfig}`,
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          `--secure-port=${cmPort}`,
          `--root-ca-file=${caFile}`,
          `--service-account-private-key-file=${saKey}`,
          `--controllers=${controllerManagerControllers(version)}`,
        ],
        dir,
        detached,
      );
      const sched = startProcess(
        "kube-scheduler",
        bin("kube-scheduler"),
        [
          `--kubeconfig=${state.kubeconfig}`,
          "--leader-elect=false",
          "--bind-address=127.0.0.1",
          `--secure-port=${schedPort}`,
        ],
        dir,
        detached,
      );
      const streams = await prepareStreams(dir, await reservedPort());
      state.streams = streams.streams;
      const startKwok = () =>
        startProcess(
          "kwok",
          bin("kwok"),
          [
            `--kubeconfig=${state.kubeconfig}`,
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            `--server-address=127.0.0.1:${kwokPort}`,
            "--node-ip=127.0.0.1",
            `--node-port=${kwokPort}`,
            `--config=${bin(KWOK_STAGES_FILE)}`,
            `--config=${streams.configFile}`,
          ],
          dir,
          detached,
          streams.env,
        );
      let kwok = startKwok();
      started.push(cm, sched, kwok);
      const node = {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: FAKE_NODE_NAME,
          annotations: { "kwok.x-k8s.io/node": "fake" },
          labels: { "kubernetes.io/hostname": FAKE_NODE_NAME, "kubernetes.io/os": "linux", type: "kwok" },
        },
        status: {
          allocatable: { cpu: "32", memory: "256Gi", pods: "110" },
          capacity: { cpu: "32", memory: "256Gi", pods: "110" },
        },
      };
      const created = await apiserverRequest(state, "POST", "/api/v1/nodes", node);
      if (created.status !== 201)
        throw new TestbedStepError("create fake node", `apiserver answered ${created.status}`, created.body);
      const nodeReady = async () => {
        const res = await apiserverRequest(state, "GET", `/api/v1/nodes/${FAKE_NODE_NAME}`);
        const conds =
          (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status
            ?.conditions ?? [];
        return conds.some((c) => c.type === "Ready" && c.status === "True");
      };
      // kwok 0.8.0 builds its CEL environments (resource usage, metrics) with easycel, whose type cache is a
      // package-level map written without a lock (easycel v0.6.0 types.go). Now and then kwok dies while
      // setting them up: exit code 2, a Go fatal error whose stack runs through easycel (seen once in about
      // 40 testbed starts). That is kwok's own start-up, not the cluster's state: start it again.
      for (let attempt = 1; ; attempt++) {
        try {
          await waitFor(kwok, `node ${FAKE_NODE_NAME} Ready`, nodeReady);
          break;
        } catch (e) {
          if (!kwok.exited || attempt >= 3 || !(await logTail(kwok)).includes("wzshiming/easycel")) throw e;
          log(
            `testbed: kwok crashed while setting up CEL (kwok's own race), starting it again (attempt ${attempt + 1})`,
          );
          kwok = startKwok();
          started.push(kwok);
        }
      }
      await waitFor(
        cm,
        "service account default/default",
        async () =>
          (await apiserverRequest(state, "GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200,
      );
      if (sched.exited)
        throw new TestbedStepError("start kube-scheduler", `exited with ${sched.exited.code}`, await logTail(sched));
    }
    for (const p of started) state.pids[p.name] = p.child.pid ?? 0;
    await fsp.writeFile(path.join(dir, "state.json"), JSON.stringify(state, null, 2), { mode: 0o600 });
    log(`testbed: ready at ${server}`);
    return { ...state, kubectlPath: bin("kubectl"), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Creates a Pod with one container (named "main" unless given) and waits until kwok reports it Running
 * and Ready on the fake node; then `kubectl logs/exec/attach/port-forward` work on it (see TestbedStreams).
 */
export async function startPod(
  tb: Pick<TestbedState, "server" | "caFile" | "adminToken">,
  namespace: string,
  name: string,
  containers: string[] = ["main"],
  timeoutMs = 30_000,
  /** e.g. kwok's usage annotations, which set what metrics-server measures of the pod (testbed/metrics-server.ts). */
  annotations?: Record<string, string>,
): Promise<void> {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { containers: containers.map((c) => ({ name: c, image: "registry.invalid/testbed:1" })) },
  };
  const created = await apiserverRequest(tb, "POST", `/api/v1/namespaces/${namespace}/pods`, pod);
  if (created.status !== 201) throw new Error(`create pod ${namespace}/${name}: ${created.status} ${created.body}`);
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const res = await apiserverRequest(tb, "GET", `/api/v1/namespaces/${namespace}/pods/${name}`);
    last = res.body;
    const status = (
      JSON.parse(res.body) as { status?: { phase?: string; conditions?: { type: string; status: string }[] } }
    ).status;
    if (status?.phase === "Running" && status.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
      return;
    await sleep(200);
  }
  throw new Error(`pod ${namespace}/${name} not Running and Ready within ${timeoutMs / 1000}s: ${last}`);
}

/** Stops the processes listed in a testbed folder's state.json and removes the folder. */
export async function stopTestbedDir(dir: string): Promise<boolean> {
  const file = path.join(dir, "state.json");
  if (!fs.existsSync(file)) {
    await fsp.rm(dir, { recursive: true, force: true });
    return false;
  }
  const state = JSON.parse(await fsp.readFile(file, "utf8")) as TestbedState;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const pids = Object.values(state.pids)
    .filter((p) => p > 0)
    .reverse();
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  await fsp.rm(dir, { recursive: true, force: true });
  return true;
}

// Notes: the streaming verbs (kubectl logs, logs -f, exec, attach, port-forward) on the testbed.
// kwok v0.8.0 serves the kubelet's streaming API on its --server-address; what each verb does comes from
// ClusterLogs / ClusterAttach / ClusterExec / ClusterPortForward documents (kwok.x-k8s.io/v1alpha1) in a
// --config file, read once at start-up (--config repeats: the stages file, then our streams file).
// - Reaching kwok: kwok's node stages write status.addresses (InternalIP from --node-ip) and
//   status.daemonEndpoints.kubeletEndpoint.Port (from --node-port; left out when 0, and then the
//   apiserver dials its --kubelet-port, 10250). So --node-port must equal the --server-address port.
//   kube-apiserver gets --kubelet-preferred-address-types=InternalIP (the default order tries Hostname
//   first; kwok adds one only with --node-name).
// - TLS and auth: kwok serves HTTP and HTTPS on the same port; without --tls-cert-file and
//   --tls-private-key-file it uses a throwaway self-signed certificate. kube-apiserver without
//   --kubelet-certificate-authority skips verifying the kubelet's certificate, and kwok asks for no client
//   certificate, so no --kubelet-client-certificate/--kubelet-client-key is needed.
// - kubectl 1.33 speaks WebSocket to the apiserver for exec, attach and port-forward; the apiserver
//   translates to SPDY towards the "kubelet", which kwok's cri-streaming server speaks. Nothing to set.
// - Logs: the file must be in CRI log format ("<RFC 3339 time> stdout F <text>"); --tail, --timestamps
//   and -p (previousLogsFile, here the same file) work. -f follows the file (kwok's runtime stub says
//   the container runs forever), so appended lines reach followers within a second.
// - Attach shows only lines appended to its logsFile after attaching (tail 0, follow); stdin is ignored.
// - Exec runs the requested command on this host. kwok resolves the name with its own PATH and hands its
//   own environment to the command, so kwok runs with PATH = a folder of a few harmless commands and
//   nothing else of ours; as root the command runs as nobody (securityContext.runAsUser) in an empty
//   folder. An absolute path (/usr/bin/id) still runs, as nobody. kwok never closes the command's stdin
//   when the client's ends: `kubectl exec -i -- cat` hangs after the input; use a command that stops by
//   itself (head -n 1). -t needs a terminal on kubectl's side.
// - Port-forward: every port of every pod goes to one fixed target (a forward without `ports`), here a
//   loopback port the testbed reserves; the test listens on it. kwok does not pass the end of the
//   client's stream on to the target (no half-close) and keeps its connection to the target until the
//   target closes it, even after kubectl exits: a target server should close or destroy its connections
//   itself (net.Server.close waits for them).
// - Dynamic rules (per pod, created by a test) would need kwok's CRDs applied and --enable-crds=...; the
//   static config keeps start-up as before (about 4 s both before and after this was added).
