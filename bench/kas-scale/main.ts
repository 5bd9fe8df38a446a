// `npm run bench:kas-scale`: 1,000 agents connected to one kas. A load generator (fleet.ts, the agent's own
// tunnel, reporting and flux code, one gRPC connection per agent, real registered tokens) connects them all
// at once to kas A; kas A and kas B share a private redis-server (the tunnel registry, as with several
// replicas in production). It prints:
//   - the time kas A takes to accept them all (every agent connected, every idle stream and push stream open);
//   - kas A's RSS and CPU while the fleet idles (from /proc, over BENCH_IDLE_SECONDS), and Redis's memory;
//   - requests per second to one agent through kas A, which holds its tunnel (served locally), versus
//     through kas B, which forwards each request to kas A (the kas-to-kas hop), with the fleet connected.
// Targets (issue 15): kas RSS ≤ 1 GiB and idle CPU ≤ 5 % of a core with 1,000 agents.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { registerAgent, createAgentToken } from "../../lib/agents";
import type { TunnelClient } from "../../lib/tunnel-client";
import { binariesPresent } from "../../testbed/build";
import { apiserverRequest, startTestbed, type Testbed } from "../../testbed/cluster";
import { PrivateRedis } from "../../testbed/redis";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import {
  registerTestAgent,
  scrapeMetrics,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type KasProcess,
  type Proc,
} from "../../testbed/tunnel-stack";
import { cpuMs, percentile, runBench } from "../common";
import { CONFIGMAP_PATH } from "./paths";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
/** The agent's default (--min-idle-streams): each agent keeps this many idle Connect streams open. */
const MIN_IDLE = 10;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
/** After the last stream is accepted: the registrations, first configuration polls and Lease elections finish. */
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 20);
const ACCEPT_TIMEOUT_S = Number(process.env.BENCH_ACCEPT_TIMEOUT_SECONDS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The agent capabilities each fleet agent runs (all of a real agent's that talk to kas by default). */
const CAPABILITIES = process.env.BENCH_CAPABILITIES ?? "tunnel,reporting,flux";
const FLUX = CAPABILITIES.split(",").includes("flux");
const TUNNEL = CAPABILITIES.split(",").includes("tunnel");
/** kas A listens on BASE..BASE+3, kas B on BASE+4..BASE+7, Redis on BASE+10. */
const BASE = Number(process.env.BENCH_KAS_PORT ?? 8300);
/** "testbed": a real agent process on the testbed's kube-apiserver answers the forwarded requests; "fleet": agent 0 of the fleet. */
/** BENCH_REDIS=0: kas A alone with its in-memory registry (what Redis costs it); no kas B, no forwarding. */
const REDIS = process.env.BENCH_REDIS !== "0";
/** BENCH_FORWARD=0 leaves the forwarding measurement out. */
const FORWARD = REDIS && process.env.BENCH_FORWARD !== "0";
const FORWARD_AGENT =
  process.env.BENCH_FORWARD_AGENT ?? (binariesPresent(TESTBED_DEFAULT_KUBERNETES) ? "testbed" : "fleet");

const MiB = 2 ** 20;

/** A process's resident set and its peak, from /proc (bytes). */
function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

async function redisMemory(port: number): Promise<{ used: number; keys: number }> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
  await r.connect();
  try {
    const info = await r.info("memory");
    const used = Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
    return { used, keys: await r.dbsize() };
  } finally {
    r.disconnect();
  }
}

/** The fleet: fleet.ts in its own process (its CPU is not kas's). */
function startFleet(
  kasAgentPort: number,
  tokensFile: string,
): { child: ChildProcess; dialling: Promise<number>; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(__dirname, "fleet.ts"),
      `--kas-address=grpc://127.0.0.1:${kasAgentPort}`,
      `--tokens-file=${tokensFile}`,
      `--capabilities=${CAPABILITIES}`,
    ],
    { cwd: path.resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const dialling = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.length > 1_000_000) out = out.slice(-500_000);
      if (out.includes('"fleet dialling"')) resolve(performance.now());
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the fleet exited (${code}) before dialling: ${out.slice(-2000)}`)));
  });
  return { child, dialling, output: () => out };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

interface Load {
  count: number;
  elapsedMs: number;
  latencies: number[];
}

/** `CONCURRENCY` loops sending the GET back to back through `client` for `seconds`. */
async function load(client: TunnelClient, agentId: string, p: string, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const s = performance.now();
        const res = await client.agentFetch(agentId, { path: p, headers: { accept: "application/json" } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${body.slice(0, 200)}`);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { count: latencies.length, elapsedMs: performance.now() - t0, latencies };
}

async function main(): Promise<void> {
  const web = await startWebInternal();
  const redis = new PrivateRedis(BASE + 10);
  const kas: { a?: KasProcess; b?: KasProcess } = {};
  let fleet: ReturnType<typeof startFleet> | undefined;
  let tb: Testbed | undefined;
  let tbDir: string | undefined;
  let realAgent: Proc | undefined;
  const clients: TunnelClient[] = [];
  try {
    // Real agents with real tokens, registered as a maintainer registers them (one project, AGENTS agents).
    const tReg = performance.now();
    const suffix = randomBytes(3).toString("hex");
    const user = await web.db.user.create({
      data: { email: `fleet-${suffix}@example.com`, username: `fleet-${suffix}`, name: "Fleet" },
    });
    const project = await web.db.project.create({
      data: { name: "Fleet", path: "fleet", fullPath: `${user.username}/fleet`, ownerUserId: user.id },
    });
    const actor = { id: user.id, isAdmin: false };
    const fleetAgents: { agentId: string; token: string }[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const agent = await registerAgent(web.db, actor, project.id, { name: `fleet-${String(i).padStart(4, "0")}` });
      const { token } = await createAgentToken(web.db, actor, agent.id, { name: "fleet" });
      fleetAgents.push({ agentId: agent.id, token });
    }
    const tokensFile = path.join(web.dir, "fleet-tokens.json");
    fs.writeFileSync(tokensFile, JSON.stringify(fleetAgents), { mode: 0o600 });
    console.log(
      `bench: registered ${AGENTS} agents and their tokens in ${((performance.now() - tReg) / 1000).toFixed(1)} s`,
    );

    if (REDIS) await redis.start();
    const peerSecretFile = path.join(web.dir, "kas-peer-secret");
    fs.writeFileSync(peerSecretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
    const kasEnv = (id: string): Record<string, string> =>
      REDIS
        ? { TETHER_KAS_ID: `kas-${id}`, TETHER_REDIS_URL: redis.url, TETHER_KAS_PEER_SECRET_FILE: peerSecretFile }
        : { TETHER_KAS_ID: `kas-${id}` };
    kas.a = await startKasProcess(web, kasEnv("a"), {
      agent: BASE,
      internal: BASE + 1,
      observability: BASE + 2,
      k8sProxy: BASE + 3,
    });
    if (REDIS)
      kas.b = await startKasProcess(web, kasEnv("b"), {
        agent: BASE + 4,
        internal: BASE + 5,
        observability: BASE + 6,
        k8sProxy: BASE + 7,
      });
    const a = kas.a;

    const pidA = a.child.pid!;
    const noRedis = { used: Number.NaN, keys: 0 };
    const before = { kas: memory(pidA), redis: REDIS ? await redisMemory(redis.port) : noRedis };

    // Every agent dials at once, as after a kas restart.
    fleet = startFleet(a.agentPort, tokensFile);
    const t0 = await fleet.dialling;
    const wantIdle = TUNNEL ? AGENTS * MIN_IDLE : 0;
    let allConnectedMs = 0;
    let acceptedMs = 0;
    let last = [0, 0, 0];
    for (;;) {
      if (a.child.exitCode !== null || a.child.signalCode !== null)
        throw new Error(`kas A exited while accepting the fleet: ${a.output().slice(-3000)}`);
      last = await scrapeMetrics(
        a.observabilityPort,
        "tether_kas_connected_agents",
        "tether_kas_tunnel_streams_idle",
        "tether_kas_flux_push_streams",
      ).catch((e: Error) => {
        console.log(`bench: cannot read kas A's metrics (${e.message}); trying again`);
        return last;
      });
      const now = performance.now() - t0;
      if (!allConnectedMs && (last[0]! >= AGENTS || !TUNNEL)) allConnectedMs = now;
      if ((last[0]! >= AGENTS || !TUNNEL) && last[1]! >= wantIdle && (!FLUX || last[2]! >= AGENTS)) {
        acceptedMs = now;
        break;
      }
      if (now > ACCEPT_TIMEOUT_S * 1000)
        throw new Error(
          `kas A had ${last[0]} agents, ${last[1]} idle streams and ${last[2]} push streams after ${ACCEPT_TIMEOUT_S} s (want ${AGENTS}, ${wantIdle}, ${FLUX ? AGENTS : 0}); fleet output: ${fleet.output().slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    const peakWhileAccepting = memory(pidA).peak;
    console.log(
      `bench: kas A accepted ${AGENTS} agents (${last[1]} idle streams, ${last[2]} push streams) in ${(acceptedMs / 1000).toFixed(1)} s; settling ${SETTLE_SECONDS} s, then ${IDLE_SECONDS} s idle…`,
    );
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));

    // Idle: nothing but what the agents do on their own (keepalives, heartbeats, configuration polls, Leases).
    const pids: Record<string, number> = {
      "kas A": pidA,
      ...(kas.b ? { "kas B": kas.b.child.pid! } : {}),
      fleet: fleet.child.pid!,
      "bench (web's internal API)": process.pid,
      ...(REDIS ? { "redis-server": redis.child!.pid! } : {}),
    };
    const rssSamples: number[] = [];
    const [opened0] = await scrapeMetrics(a.observabilityPort, "tether_kas_tunnel_streams_opened_total");
    const cpu0 = cpuMs(pids);
    const idleStart = performance.now();
    while (performance.now() - idleStart < IDLE_SECONDS * 1000) {
      rssSamples.push(memory(pidA).rss);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const cpu1 = cpuMs(pids);
    const idleMs = performance.now() - idleStart;
    const idleLoad = os.loadavg();
    const after = { kas: memory(pidA), redis: REDIS ? await redisMemory(redis.port) : noRedis };
    const [heapUsed, heapTotal, external, streamsAfter, agentsAfter, opened1] = await scrapeMetrics(
      a.observabilityPort,
      "nodejs_heap_size_used_bytes",
      "nodejs_heap_size_total_bytes",
      "nodejs_external_memory_bytes",
      "tether_kas_tunnel_streams_idle",
      "tether_kas_connected_agents",
      "tether_kas_tunnel_streams_opened_total",
    );
    const pct = (k: string) => ((cpu1[k]! - cpu0[k]!) / idleMs) * 100;

    // The report.
    const gib = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
    console.log(
      `\nbench/kas-scale — ${AGENTS} agents on kas A (the agent's own ${CAPABILITIES} code, ${TUNNEL ? MIN_IDLE : 0} idle streams each), ${REDIS ? "Redis registry" : "in-memory registry (no Redis)"}, ${os.cpus().length} CPUs`,
    );
    console.log(`${"measure".padEnd(46)} ${"value".padStart(12)}  target`);
    const row = (name: string, value: string, target = "") =>
      console.log(`${name.padEnd(46)} ${value.padStart(12)}  ${target}`);
    row("time to accept all agents (every stream)", `${(acceptedMs / 1000).toFixed(1)} s`);
    row("time until every agent had a stream", `${(allConnectedMs / 1000).toFixed(1)} s`);
    row("kas A RSS before the fleet", gib(before.kas.rss));
    row("kas A RSS at idle (max over the window)", gib(Math.max(...rssSamples)), "≤ 1024 MiB");
    row("kas A RSS peak (while accepting)", gib(peakWhileAccepting));
    row("kas A RSS per agent at idle", `${((after.kas.rss - before.kas.rss) / AGENTS / 1024).toFixed(0)} KiB`);
    row("kas A V8 heap used / total at idle", `${gib(heapUsed!)} / ${gib(heapTotal!)}`);
    row("kas A memory outside the V8 heap (external)", gib(external!));
    row("kas A CPU at idle", `${pct("kas A").toFixed(1)} %`, "≤ 5 % of a core");
    row("Redis memory before the fleet", `${(before.redis.used / MiB).toFixed(2)} MiB`);
    row("Redis memory at idle", `${(after.redis.used / MiB).toFixed(2)} MiB`, `${after.redis.keys} keys`);
    row("Redis memory per agent", `${((after.redis.used - before.redis.used) / AGENTS).toFixed(0)} B`);
    console.log(
      `idle window: ${(idleMs / 1000).toFixed(0)} s, ${agentsAfter} agents and ${streamsAfter} idle streams at its end, ${opened1! - opened0!} streams opened during it; load average ${idleLoad.map((x) => x.toFixed(2)).join(" ")}`,
    );
    console.log(
      `CPU at idle, % of a core: ${Object.keys(pids)
        .map((k) => `${k} ${pct(k).toFixed(1)}`)
        .join(", ")}`,
    );

    const rssOk = Math.max(...rssSamples) <= 1024 * MiB;
    const cpuOk = pct("kas A") <= 5;
    console.log(`RSS target ${rssOk ? "met" : "NOT met"}; idle CPU target ${cpuOk ? "met" : "NOT met"}`);

    if (FORWARD) {
      // Forwarding: one agent's requests through kas A (its tunnels are there) and through kas B (forwarded to A).
      let target: { agentId: string; path: string; what: string };
      if (FORWARD_AGENT === "testbed") {
        tbDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-kas-scale-"));
        tb = await startTestbed({ dir: tbDir, version: TESTBED_DEFAULT_KUBERNETES, workloads: false });
        const reg = await registerTestAgent(web.db, "forwarded");
        realAgent = await startAgentProcess({
          kasAgentPort: a.agentPort,
          token: reg.token,
          kubeconfig: tb.kubeconfig,
          dir: web.dir,
        });
        const created = await apiserverRequest(tb, "POST", "/api/v1/namespaces/default/configmaps", {
          metadata: { name: "x" },
          data: { greeting: "hello from the bench" },
        });
        if (created.status !== 201) throw new Error(`cannot create ConfigMap x: ${created.status} ${created.body}`);
        target = {
          agentId: reg.agentId,
          path: "/api/v1/namespaces/default/configmaps/x",
          what: `a real agent process on the testbed's kube-apiserver (Kubernetes ${TESTBED_DEFAULT_KUBERNETES})`,
        };
      } else {
        target = {
          agentId: fleetAgents[0]!.agentId,
          path: CONFIGMAP_PATH,
          what: "agent 0 of the fleet (its in-process HTTP server answers behind its tunnel)",
        };
      }
      const local = tunnelClientFor(web, a);
      const forwarded = tunnelClientFor(web, kas.b!);
      clients.push(local, forwarded);
      await waitForAgent(local, target.agentId, 1, 120_000); // a busy machine starts an agent process slowly
      for (const end = Date.now() + 30_000; ;) {
        const s = await forwarded.agentStatus(target.agentId);
        if (s.kasReplicas.includes("kas-a")) break;
        if (Date.now() > end)
          throw new Error(`kas B did not learn from Redis that agent ${target.agentId} is on kas A`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await load(local, target.agentId, target.path, 1);
      await load(forwarded, target.agentId, target.path, 1);
      const hopPids: Record<string, number> = {
        "kas A": pidA,
        "kas B": kas.b!.child.pid!,
        ...(realAgent ? { agent: realAgent.child.pid! } : {}),
        fleet: fleet.child.pid!,
        bench: process.pid,
      };
      const runs = { local: [] as Load[], forwarded: [] as Load[] };
      const cpu = { local: {} as Record<string, number>, forwarded: {} as Record<string, number> };
      const measure = async (which: "local" | "forwarded", client: TunnelClient) => {
        const c0 = cpuMs(hopPids);
        runs[which].push(await load(client, target.agentId, target.path, SECONDS));
        const c1 = cpuMs(hopPids);
        for (const k of Object.keys(hopPids)) cpu[which][k] = (cpu[which][k] ?? 0) + (c1[k]! - c0[k]!);
      };
      for (let i = 0; i < ROUNDS; i++) {
        console.log(
          `bench: round ${i + 1}/${ROUNDS} (${SECONDS} s through kas A, ${SECONDS} s through kas B, ${CONCURRENCY} in flight)…`,
        );
        await measure("local", local);
        await measure("forwarded", forwarded);
      }
      const hopLoad = os.loadavg();
      const summary = (rs: Load[]) => {
        const all = rs.flatMap((r) => r.latencies);
        return {
          rps: rs.reduce((s, r) => s + r.count, 0) / (rs.reduce((s, r) => s + r.elapsedMs, 0) / 1000),
          p50: percentile(all, 50),
          p99: percentile(all, 99),
          count: all.length,
        };
      };
      const l = summary(runs.local);
      const f = summary(runs.forwarded);

      console.log(
        `\nforwarding hop — GET ${target.path} to ${target.what}, ${CONCURRENCY} in flight through web's tunnel client, ${ROUNDS}×${SECONDS} s per path, the fleet connected (load average ${hopLoad[0]!.toFixed(2)})`,
      );
      console.log(
        `${"measure".padEnd(30)} ${"kas A (local)".padStart(14)} ${"kas B → A".padStart(10)} ${"unit".padEnd(5)} ratio`,
      );
      const hopRow = (name: string, lv: number, fv: number, unit: string) =>
        console.log(
          `${name.padEnd(30)} ${lv.toFixed(1).padStart(14)} ${fv.toFixed(1).padStart(10)} ${unit.padEnd(5)} ${(fv / lv).toFixed(2)}×`,
        );
      hopRow("throughput", l.rps, f.rps, "req/s");
      hopRow("latency p50", l.p50, f.p50, "ms");
      hopRow("latency p99", l.p99, f.p99, "ms");
      const perReq = (which: "local" | "forwarded", n: number) =>
        Object.keys(hopPids)
          .map((k) => `${k} ${((cpu[which][k] ?? 0) / n).toFixed(2)}`)
          .join(", ");
      console.log(`requests: ${l.count} local, ${f.count} forwarded`);
      console.log(`CPU ms per request, local:     ${perReq("local", l.count)}`);
      console.log(`CPU ms per request, forwarded: ${perReq("forwarded", f.count)}`);
    }
  } finally {
    for (const c of clients) c.close();
    await realAgent?.kill();
    if (fleet) await stopChild(fleet.child);
    await kas.b?.kill();
    await kas.a?.kill();
    await tb?.stop();
    if (tbDir) fs.rmSync(tbDir, { recursive: true, force: true });
    await redis.stop();
    await web.close();
  }
}

runBench("bench/kas-scale", main);
