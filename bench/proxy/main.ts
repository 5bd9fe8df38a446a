// `npm run bench:proxy`: requests/s and latency of `GET /api/v1/namespaces/default/configmaps/x` through
// kas's k8s-proxy (HTTPS, a personal access token, web's authorization, the tunnel, the agent) versus
// straight to the testbed's kube-apiserver, in one run. Both paths use keep-alive HTTPS connections
// with the same number of requests in flight, and reach the apiserver with the same admin identity
// (the agent acts as itself: user_access with access_as agent), so the difference is Tether's path.
// A third path, a Go reverse tunnel on rancher/remotedialer serving HTTPS (bench/peers; BENCH_PEERS=0 leaves
// it out), carries the same GET to the same API server in the same run.
// Target: throughput through the proxy ≥ 0.65× direct.
import fs from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { saveAgentConfig } from "../../lib/agent-config";
import { createPersonalAccessToken } from "../../lib/tokens/access-tokens";
import { ensureTestbedBinaries } from "../../testbed/build";
import { apiserverRequest, startTestbed } from "../../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import {
  buildBundle,
  registerTestAgent,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
} from "../../testbed/tunnel-stack";
import { cpuMs, percentile, runBench } from "../common";
import { startRemotedialerPeer, type RemotedialerPeer } from "../peers/remotedialer";
import { samplerLoad, startStallMeter, stallShare, type StallReading } from "../stall";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** Each path is measured this many times, alternating, so a noisy neighbour hurts both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PATH = "/api/v1/namespaces/default/configmaps/x";
/** Extra agent flags, e.g. BENCH_AGENT_ARGS=--apiserver-http2=false to compare with HTTP/1.1 from the agent to the API server. */
const AGENT_ARGS = (process.env.BENCH_AGENT_ARGS ?? "").split(/\s+/).filter(Boolean);

/** BENCH_HTTP2=1: both paths over one HTTP/2 connection each, as kubectl and client-go talk to a server that offers it. */
const HTTP2 = process.env.BENCH_HTTP2 === "1";
/** BENCH_BUNDLE=1: kas and the agent as their images run them (one bundled file each, --enable-source-maps) instead of their sources under tsx. */
const BUNDLE = process.env.BENCH_BUNDLE === "1";
/**
 * Seconds of load on each path before the measured rounds: connections, kas's grant cache and the agent's
 * streams need one; kas and the agent also JIT-compile their hot paths over their first ~10,000 requests,
 * which a longer warm-up leaves out of the figures (a long-running kas and agent are past it).
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);

interface Target {
  url: URL;
  ca: Buffer;
  token: string;
  agent: https.Agent;
  session?: http2.ClientHttp2Session;
}

function get(t: Target): Promise<number> {
  if (HTTP2) {
    t.session ??= http2.connect(t.url.origin, { ca: t.ca });
    const session = t.session;
    return new Promise((resolve, reject) => {
      const stream = session.request(
        { ":path": PATH, authorization: `Bearer ${t.token}`, accept: "application/json" },
        { endStream: true },
      );
      let status = 0;
      let n = 0;
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.on("data", (c: Buffer) => (n += c.length));
      stream.on("end", () => (status === 200 ? resolve(n) : reject(new Error(`GET ${PATH} answered ${status}`))));
      stream.on("error", reject);
    });
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname: t.url.hostname,
        port: t.url.port,
        path: PATH,
        method: "GET",
        ca: t.ca,
        agent: t.agent,
        headers: { authorization: `Bearer ${t.token}`, accept: "application/json" },
      },
      (res) => {
        let n = 0;
        res.on("data", (c: Buffer) => (n += c.length));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(n) : reject(new Error(`GET ${PATH} answered ${res.statusCode}`)),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** `CONCURRENCY` loops issuing requests back to back for `seconds`; every latency is kept. */
async function load(t: Target, seconds: number): Promise<{ count: number; elapsedMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const s = performance.now();
        await get(t);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { count: latencies.length, elapsedMs: performance.now() - t0, latencies };
}

async function main(): Promise<void> {
  const version = TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version, (m) => console.log(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-proxy-"));
  // Only etcd and kube-apiserver: the bench reads a ConfigMap, no pods need to run.
  const tb = await startTestbed({ dir, version, workloads: false });
  const web = await startWebInternal();
  let kas: Awaited<ReturnType<typeof startKasProcess>> | undefined;
  let agent: Awaited<ReturnType<typeof startAgentProcess>> | undefined;
  const agents: https.Agent[] = [];
  const targets: Target[] = [];
  let peer: RemotedialerPeer | null = null;
  const bundles: { file: string; dir: string }[] = [];
  try {
    const kasBundle = BUNDLE ? await buildBundle("kas") : undefined;
    const agentBundle = BUNDLE ? await buildBundle("agent") : undefined;
    for (const b of [kasBundle, agentBundle]) if (b) bundles.push(b);
    kas = await startKasProcess(web, {}, undefined, kasBundle?.file);
    const reg = await registerTestAgent(web.db, "bench");
    const owner = { id: reg.userId, isAdmin: false };
    const project = await web.db.project.findFirstOrThrow({ where: { ownerUserId: reg.userId } });
    await saveAgentConfig(web.db, owner, reg.agentId, `user_access:\n  projects:\n    - id: ${project.fullPath}\n`);
    const pat = await createPersonalAccessToken(web.db, owner, {
      name: "bench",
      scopes: ["k8s_proxy"],
      expiresInDays: 1,
    });
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      args: AGENT_ARGS,
      bundle: agentBundle?.file,
    });
    const client = tunnelClientFor(web, kas);
    await waitForAgent(client, reg.agentId);
    client.close();

    const created = await apiserverRequest(tb, "POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "x" },
      data: { greeting: "hello from the bench" },
    });
    if (created.status !== 201) throw new Error(`cannot create ConfigMap x: ${created.status} ${created.body}`);

    const keepAlive = () => {
      const a = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      agents.push(a);
      return a;
    };
    const direct: Target = {
      url: new URL(tb.server),
      ca: fs.readFileSync(tb.caFile),
      token: tb.adminToken,
      agent: keepAlive(),
    };
    const proxy: Target = {
      url: new URL(`https://127.0.0.1:${kas.k8sProxyPort}`),
      ca: fs.readFileSync(web.proxyCaFile),
      token: `pat:${reg.agentId}:${pat.token}`,
      agent: keepAlive(),
    };
    targets.push(direct, proxy);
    if (process.env.BENCH_PEERS !== "0") peer = await startRemotedialerPeer(tb, { tls: true });
    // The peer's server adds the API server's token itself: the token sent to it is not used.
    const viaPeer: Target | null = peer
      ? { url: new URL(peer.url), ca: peer.ca!, token: "unused-by-the-peer", agent: keepAlive() }
      : null;
    if (viaPeer) targets.push(viaPeer);

    // Same answer every way, then a warm-up (connections, kas's grant cache, the agent's streams).
    const [a, b] = [await get(direct), await get(proxy)];
    if (Math.abs(a - b) > 0) console.log(`bench: note: the bodies differ in size (direct ${a} B, proxy ${b} B)`);
    if (viaPeer && (await get(viaPeer)) !== a)
      console.log(`bench: note: the body through remotedialer differs in size`);
    await load(direct, WARMUP_SECONDS);
    await load(proxy, WARMUP_SECONDS);
    if (viaPeer) await load(viaPeer, WARMUP_SECONDS);

    const pids: Record<string, number> = {
      bench: process.pid,
      "kube-apiserver": tb.pids["kube-apiserver"] ?? 0,
      etcd: tb.pids.etcd ?? 0,
      kas: kas.child.pid ?? 0,
      agent: agent.child.pid ?? 0,
      ...(peer ? { "rd-server": peer.serverPid, "rd-client": peer.clientPid } : {}),
    };
    type Path = "direct" | "proxy" | "peer";
    const cpu: Record<Path, Record<string, number>> = { direct: {}, proxy: {}, peer: {} };
    // A sample in which no process of the path runs or waits for a core is a stall (bench/stall.ts).
    const stallMeter = startStallMeter(Object.values(pids));
    const stalls: Record<Path, StallReading[]> = { direct: [], proxy: [], peer: [] };
    const measure = async (which: Path, t: Target) => {
      const before = cpuMs(pids);
      const r = await load(t, SECONDS);
      const after = cpuMs(pids);
      for (const k of Object.keys(pids)) cpu[which][k] = (cpu[which][k] ?? 0) + (after[k]! - before[k]!);
      runs[which].push(r);
    };
    const runs: Record<Path, Awaited<ReturnType<typeof load>>[]> = { direct: [], proxy: [], peer: [] };
    for (let i = 0; i < ROUNDS; i++) {
      console.log(
        `bench: round ${i + 1}/${ROUNDS} (${SECONDS} s direct, ${SECONDS} s through the proxy${viaPeer ? `, ${SECONDS} s through remotedialer` : ""}, ${CONCURRENCY} in flight)…`,
      );
      await measure("direct", direct);
      await measure("proxy", proxy);
      if (viaPeer) await measure("peer", viaPeer);
    }
    // The stall share in load of its own: the sampler's work would slow the timed rounds (bench/stall.ts).
    const paths: [Path, Target | null][] = [
      ["direct", direct],
      ["proxy", proxy],
      ["peer", viaPeer],
    ];
    for (const [which, t] of paths) if (t) stalls[which].push((await stallMeter.measure(() => load(t, 2))).stall);
    stallMeter.stop();
    const summary = (rs: Awaited<ReturnType<typeof load>>[]) => {
      const all = rs.flatMap((r) => r.latencies);
      return {
        rps: rs.reduce((s, r) => s + r.count, 0) / (rs.reduce((s, r) => s + r.elapsedMs, 0) / 1000),
        p50: percentile(all, 50),
        p99: percentile(all, 99),
        count: all.length,
      };
    };
    const d = summary(runs.direct);
    const p = summary(runs.proxy);
    const r = viaPeer ? summary(runs.peer) : null;
    const perRound = runs.direct.map((r, i) =>
      (runs.proxy[i]!.count / runs.proxy[i]!.elapsedMs / (r.count / r.elapsedMs)).toFixed(2),
    );

    const row = (name: string, dv: number, pv: number, rv: number | undefined, unit: string, target: string) =>
      console.log(
        `${name.padEnd(40)} ${dv.toFixed(1).padStart(9)} ${pv.toFixed(1).padStart(9)} ${(rv === undefined ? "—" : rv.toFixed(1)).padStart(9)} ${unit.padEnd(5)} ${`${(pv / dv).toFixed(2)}×`.padStart(7)} ${(rv === undefined ? "—" : `${(rv / dv).toFixed(2)}×`).padStart(7)}  ${target}`,
      );
    console.log(
      `\nbench/proxy — GET ${PATH}, Kubernetes ${version}, ${CONCURRENCY} in flight over ${HTTP2 ? "one HTTP/2 connection" : "HTTP/1.1 keep-alive connections"}, ${ROUNDS}×${SECONDS} s per path, ${os.cpus().length} CPUs, kas and agent ${BUNDLE ? "bundled" : "from sources (tsx)"}, ${WARMUP_SECONDS} s warm-up per path, agent flags: ${AGENT_ARGS.join(" ") || "(defaults)"} (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(
      `${"measure".padEnd(40)} ${"direct".padStart(9)} ${"tether".padStart(9)} ${"remotedlr".padStart(9)} ${"unit".padEnd(5)} ${"tether".padStart(7)} ${"rd".padStart(7)}  target (tether)`,
    );
    row("throughput", d.rps, p.rps, r?.rps, "req/s", "≥ 0.65×");
    row("latency p50", d.p50, p.p50, r?.p50, "ms", "");
    row("latency p99", d.p99, p.p99, r?.p99, "ms", "");
    const share = (which: Path) => (stalls[which].length ? `${(stallShare(stalls[which]) * 100).toFixed(1)} %` : "—");
    console.log(
      `stall share (no process of the path running or runnable; 2 s of load per path of its own, the sampler using ${(samplerLoad(Object.values(stalls).flat()) * 100).toFixed(0)} % of a core meanwhile): direct ${share("direct")}, tether ${share("proxy")}, remotedialer ${share("peer")}`,
    );
    console.log(
      `requests: ${d.count} direct, ${p.count} through the proxy${r ? `, ${r.count} through remotedialer` : ""}; throughput ratio per round (tether): ${perRound.join(", ")}`,
    );
    const perReq = (which: Path, n: number) =>
      Object.keys(pids)
        .map((k) => `${k} ${((cpu[which][k] ?? 0) / n).toFixed(2)}`)
        .join(", ");
    console.log(`CPU ms per request, direct:       ${perReq("direct", d.count)}`);
    console.log(`CPU ms per request, proxy:        ${perReq("proxy", p.count)}`);
    if (r) console.log(`CPU ms per request, remotedialer: ${perReq("peer", r.count)}`);
    // On a machine where every process shares the same few cores, throughput cannot exceed cores / (CPU per request).
    const sum = (which: Path, n: number) => Object.values(cpu[which]).reduce((a, b) => a + b, 0) / n;
    const cores = os.cpus().length;
    const [cd, cp] = [sum("direct", d.count), sum("proxy", p.count)];
    console.log(
      `CPU ms per request in all: direct ${cd.toFixed(2)}, proxy ${cp.toFixed(2)}; the ceiling on ${cores} shared cores: ${((cores * 1000) / cd).toFixed(0)} vs ${((cores * 1000) / cp).toFixed(0)} req/s (${(cd / cp).toFixed(2)}×)`,
    );
    // The issue's second CPU target: what kas + agent add per request, against the direct path's whole CPU per request.
    const addedBy = (which: Path, n: number, keys: string[]) => keys.reduce((a, k) => a + (cpu[which][k] ?? 0), 0) / n;
    const addedTether = addedBy("proxy", p.count, ["kas", "agent"]);
    console.log(
      `added CPU ms per request: tether (kas + agent) ${addedTether.toFixed(2)} = ${(addedTether / cd).toFixed(2)}× the direct path's whole CPU per request (target ≤ 0.50×)` +
        (r
          ? `; remotedialer (server + client) ${addedBy("peer", r.count, ["rd-server", "rd-client"]).toFixed(2)}`
          : ""),
    );
    console.log(p.rps / d.rps >= 0.65 ? "throughput target met" : "throughput target NOT met");
  } finally {
    for (const a of agents) a.destroy();
    for (const t of targets) t.session?.close();
    await peer?.stop();
    await agent?.kill();
    await kas?.kill();
    await web.close();
    await tb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const b of bundles) fs.rmSync(b.dir, { recursive: true, force: true });
  }
}

runBench("bench/proxy", main);
