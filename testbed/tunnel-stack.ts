// The tunnel rig: real processes for the kas, agent and cluster-cache integration tests and the
// benchmarks: web's internal API (the real handlers on a real database, served on a loopback port), kas
// and agent as separate Node processes, and an agent registered with a fresh token. Nothing here
// imitates a component; it only starts them.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { createAgentToken, registerAgent } from "@/lib/agents";
import { handleKasInternal } from "@/lib/kas-bridge";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ensureSelfSignedCert } from "@/lib/common/self-signed";
import { noteReceptiveChange } from "@/lib/receptive/changes";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { TunnelClient } from "@/lib/tunnel-client";
import { withMallocTunables } from "../lib/common/malloc-tunables";

const root = path.resolve(__dirname, "..");

export interface WebInternal {
  url: string;
  /** The k8s-proxy's self-signed certificate (PEM file), for kubeconfigs. */
  proxyCaFile: string;
  db: Db;
  secret: string;
  secretFile: string;
  dir: string;
  close(): Promise<void>;
}

/** web's internal API for kas over a fresh SQLite database, on a loopback port. */
export async function startWebInternal(): Promise<WebInternal> {
  const database: TestDatabase = await freshDatabase("sqlite");
  await migrate(database.target);
  const db = createDb(database.target);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-tunnel-"));
  const secret = randomBytes(32).toString("base64url");
  const secretFile = path.join(dir, "kas-shared-secret");
  fs.writeFileSync(secretFile, secret, { mode: 0o600 });
  const proxyCert = await ensureSelfSignedCert(dir);
  // Calls still being answered: kas's receptive long poll is held for up to its wait, and must not wake
  // to a database that close() already dropped.
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    const action = /^\/api\/internal\/kas\/([\w-]+)$/.exec(req.url ?? "")?.[1] ?? "";
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "POST" ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: "half",
    } as RequestInit);
    const handled = handleKasInternal(db, action, request, secret).then(
      async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      },
      (e: Error) => {
        res.writeHead(500).end(e.message);
      },
    );
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    proxyCaFile: proxyCert.cert,
    db,
    secret,
    secretFile,
    dir,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      // Held polls answer at once (a change wakes them), before the database goes.
      noteReceptiveChange();
      await Promise.allSettled([...inFlight]);
      await db.$disconnect();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A user, a personal project, an agent in it, and a token for the agent. */
export async function registerTestAgent(
  db: Db,
  name = "testbed",
): Promise<{ agentId: string; token: string; userId: string }> {
  const suffix = randomBytes(4).toString("hex");
  const user = await db.user.create({
    data: { email: `admin-${suffix}@example.com`, username: `admin-${suffix}`, name: "Admin" },
  });
  const project = await db.project.create({
    data: { name: "Cluster", path: "cluster", fullPath: `${user.username}/cluster`, ownerUserId: user.id },
  });
  const actor = { id: user.id, isAdmin: false };
  const agent = await registerAgent(db, actor, project.id, { name });
  const { token } = await createAgentToken(db, actor, agent.id, { name: "test" });
  return { agentId: agent.id, token, userId: user.id };
}

export interface Proc {
  child: ChildProcess;
  /** All output so far (JSON log lines). */
  output(): string;
  /** Resolves with the first log line whose msg matches. */
  waitFor(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `script` (TypeScript, through tsx) or, when `bundled`, that plain JavaScript file as it is. */
function startProcess(script: string, args: string[], env: Record<string, string>, bundled = false): Proc {
  // BENCH_CPU_PROF_DIR=<dir>: each kas/agent process writes a V8 CPU profile there when it exits.
  const prof = process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const loader = bundled ? ["--enable-source-maps"] : ["--import", "tsx"];
  const child = spawn(process.execPath, [...prof, ...loader, script, ...args], {
    cwd: bundled ? path.dirname(script) : root,
    // As the images run them (lib/common/malloc-tunables.ts).
    env: withMallocTunables({ ...process.env, LOG_LEVEL: "info", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners: ((line: string) => void)[] = [];
  let partial = "";
  const onData = (b: Buffer) => {
    const s = b.toString();
    out += s;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    partial += s;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) for (const fn of [...listeners]) fn(l);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor(msg, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (line: string) => {
          try {
            const j = JSON.parse(line) as Record<string, unknown>;
            if (typeof j.msg === "string" && msg.test(j.msg)) {
              clearTimeout(timer);
              listeners.splice(listeners.indexOf(check), 1);
              resolve(j);
            }
          } catch {
            /* not a log line */
          }
        };
        const timer = setTimeout(() => {
          listeners.splice(listeners.indexOf(check), 1);
          reject(
            new Error(
              `${path.basename(script)}: no log line matching ${msg} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`,
            ),
          );
        }, timeoutMs);
        for (const l of out.split("\n")) check(l);
        listeners.push(check);
      });
    },
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

export interface KasProcess extends Proc {
  k8sProxyPort: number;
  agentPort: number;
  internalPort: number;
  observabilityPort: number;
}

/** `bundle`: kas as its image runs it (`npm run build:kas`'s one file) instead of the sources. */
export async function startKasProcess(
  web: WebInternal,
  env: Record<string, string> = {},
  ports?: { agent: number; internal: number; observability: number; k8sProxy?: number },
  bundle?: string,
): Promise<KasProcess> {
  const p = startProcess(
    bundle ?? "kas/main.ts",
    [],
    {
      TETHER_WEB_URL: web.url,
      TETHER_KAS_SHARED_SECRET_FILE: web.secretFile,
      TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: web.proxyCaFile,
      TETHER_KAS_K8S_PROXY_TLS_KEY_FILE: web.proxyCaFile.replace(/\.crt$/, ".key"),
      TETHER_KAS_AGENT_ADDRESS: `127.0.0.1:${ports?.agent ?? 0}`,
      TETHER_KAS_INTERNAL_ADDRESS: `127.0.0.1:${ports?.internal ?? 0}`,
      TETHER_KAS_OBSERVABILITY_ADDRESS: `127.0.0.1:${ports?.observability ?? 0}`,
      TETHER_KAS_K8S_PROXY_ADDRESS: `127.0.0.1:${ports?.k8sProxy ?? 0}`,
      ...env,
    },
    bundle !== undefined,
  );
  const line = await p.waitFor(/^kas listening$/).catch(async (e: unknown) => {
    await p.kill("SIGKILL");
    throw e;
  });
  return Object.assign(p, {
    k8sProxyPort: line.k8sProxyPort as number,
    agentPort: line.agentPort as number,
    internalPort: line.internalPort as number,
    observabilityPort: line.observabilityPort as number,
  });
}

/**
 * Builds the agent or kas as its image holds it (`npm run build:agent` / `build:kas`) and copies the file to
 * a new folder with no node_modules above it; the caller removes `dir`.
 */
export async function buildBundle(component: "agent" | "kas"): Promise<{ file: string; dir: string }> {
  await promisify(execFile)("npm", ["run", `build:${component}`], { cwd: root });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tether-${component}-bundle-`));
  for (const f of ["main.js", "main.js.map"]) fs.copyFileSync(path.join(root, "dist", component, f), path.join(dir, f));
  return { file: path.join(dir, "main.js"), dir };
}

export function buildAgentBundle(): Promise<{ file: string; dir: string }> {
  return buildBundle("agent");
}

/** `bundle`: the agent as its image runs it (`npm run build:agent`'s one file) instead of the sources. */
export async function startAgentProcess(opts: {
  kasAgentPort: number;
  token: string;
  kubeconfig: string;
  dir: string;
  args?: string[];
  scheme?: "grpc" | "grpcs";
  bundle?: string;
}): Promise<Proc> {
  const tokenFile = path.join(opts.dir, `agent-token-${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(tokenFile, opts.token, { mode: 0o600 });
  const args = [
    `--kas-address=${opts.scheme ?? "grpc"}://127.0.0.1:${opts.kasAgentPort}`,
    `--token-file=${tokenFile}`,
    `--kubeconfig=${opts.kubeconfig}`,
    "--observability-address=127.0.0.1:0",
    ...(opts.args ?? []),
  ];
  return startProcess(opts.bundle ?? "agent/main.ts", args, {}, opts.bundle !== undefined);
}

/** The value of one series (`name{labels}` as Prometheus prints it) in a /metrics text; 0 when absent. */
export function metric(text: string, name: string): number {
  const m = new RegExp(`^${name.replace(/[{}"]/g, "\\$&")} (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

/** The series of a process's /metrics, served on the observability `port`. */
export async function scrapeMetrics(port: number, ...names: string[]): Promise<number[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return names.map((n) => metric(text, n));
}

/** The observability port an agent process reported when it started. */
export async function agentObservabilityPort(agent: Proc): Promise<number> {
  return ((await agent.waitFor(/^agent starting$/)).observability as { port: number }).port;
}

export function tunnelClientFor(web: WebInternal, kas: { internalPort: number }): TunnelClient {
  return new TunnelClient({ kasAddress: `127.0.0.1:${kas.internalPort}`, secret: web.secret });
}

/** Polls kas until the agent has at least `idle` idle streams. */
export async function waitForAgent(client: TunnelClient, agentId: string, idle = 1, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await client.agentStatus(agentId).catch(() => null);
    if (s && s.idleStreams >= idle) return;
    if (Date.now() > until)
      throw new Error(`agent ${agentId} did not connect within ${timeoutMs} ms (status: ${JSON.stringify(s)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface TunnelStack {
  web: WebInternal;
  kas: KasProcess;
  agent: Proc;
  client: TunnelClient;
  agentId: string;
  token: string;
  /** The user who owns the agent's project. */
  userId: string;
  /** Closes the client, stops the agent and kas (the one in `kas` now), and closes web. */
  stop(): Promise<void>;
}

/**
 * web's internal API, a registered agent, kas and a real agent process connected to the cluster of
 * `kubeconfig`, and a tunnel client that has seen the agent connect: the rig most tunnel tests and
 * benchmarks start from.
 */
export async function startTunnelStack(
  kubeconfig: string,
  opts: { name?: string; kasEnv?: Record<string, string>; agentArgs?: string[]; agentBundle?: string } = {},
): Promise<TunnelStack> {
  const web = await startWebInternal();
  const parts: { kas?: KasProcess; agent?: Proc; client?: TunnelClient } = {};
  // Reads the fields when it runs: a test may have replaced kas (a restart) in the meantime.
  const stop = async (s: { kas?: KasProcess; agent?: Proc; client?: TunnelClient }) => {
    s.client?.close();
    await s.agent?.kill();
    await s.kas?.kill();
    await web.close();
  };
  try {
    const reg = await registerTestAgent(web.db, opts.name);
    parts.kas = await startKasProcess(web, opts.kasEnv);
    parts.agent = await startAgentProcess({
      kasAgentPort: parts.kas.agentPort,
      token: reg.token,
      kubeconfig,
      dir: web.dir,
      args: opts.agentArgs,
      bundle: opts.agentBundle,
    });
    parts.client = tunnelClientFor(web, parts.kas);
    await waitForAgent(parts.client, reg.agentId);
    const stack: TunnelStack = {
      web,
      kas: parts.kas,
      agent: parts.agent,
      client: parts.client,
      ...reg,
      stop: () => stop(stack),
    };
    return stack;
  } catch (e) {
    await stop(parts);
    throw e;
  }
}
