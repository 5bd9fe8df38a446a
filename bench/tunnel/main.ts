// `npm run bench:tunnel`: latency of `kubectl get configmaps` (1,000 objects) and throughput of a large
// LIST, through the tunnel (tunnel client → kas → agent → kube-apiserver), direct, and through a Go
// reverse tunnel on rancher/remotedialer (bench/peers; BENCH_PEERS=0 leaves it out), in one run.
// kubectl reaches the tunnel through a small loopback HTTP front that calls the tunnel client, the
// same path kas's k8s-proxy will use. Targets: latency ≤ 1.2× direct, throughput ≥ 0.7× direct.
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ensureTestbedBinaries } from "../../testbed/build";
import { apiserverRequest, startTestbed } from "../../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import { startTunnelStack, type TunnelStack } from "../../testbed/tunnel-stack";
import { cpuMs, percentile, runBench } from "../common";
import { startRemotedialerPeer, type RemotedialerPeer } from "../peers/remotedialer";
import { hopBreakdown } from "./hops";
import { samplerLoad, startStallMeter, stallShare, type StallReading } from "../stall";

const run = promisify(execFile);

/** The whole body as one buffer, joined from the chunks as they came: the same work on both paths. */
async function joined(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    parts.push(c);
    n += c.byteLength;
  }
  return Buffer.concat(parts, n);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
/** HTTP-only LISTs per path taken with the stall sampler on (not timed). */
const STALL_ROUNDS = Number(process.env.BENCH_STALL_ROUNDS ?? 10);

async function main(): Promise<void> {
  const version = TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version, (m) => console.log(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-"));
  // Every hop (this process's tunnel client, kas, agent) appends each request's timeline here; the
  // HTTP-only LIST's per-hop breakdown is printed from it (one appended line per request and hop).
  const traceFile = path.join(dir, "tunnel-trace.jsonl");
  // BENCH_TRACE=0 leaves it off (to see what tracing costs).
  if (process.env.BENCH_TRACE !== "0") process.env.TETHER_TUNNEL_TRACE = traceFile;
  const tb = await startTestbed({ dir, version });
  let rig: TunnelStack | undefined;
  let front: http.Server | undefined;
  let peer: RemotedialerPeer | null = null;
  try {
    rig = await startTunnelStack(tb.kubeconfig);
    if (process.env.BENCH_PEERS !== "0") peer = await startRemotedialerPeer(tb);
    const { client: tc, kas, agent } = rig;
    const reg = rig;
    console.log("bench: creating 1,000 ConfigMaps and 40 large ones…");
    await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: "bench" } });
    await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: "bench-big" } });
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          apiserverRequest(tb, "POST", "/api/v1/namespaces/bench/configmaps", {
            metadata: { name: `cm-${i + j}`, labels: { app: "bench" } },
            data: { index: String(i + j), text: "lorem ipsum ".repeat(20) },
          }),
        ),
      );
    }
    const big = "y".repeat(900_000);
    for (let i = 0; i < 40; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          apiserverRequest(tb, "POST", "/api/v1/namespaces/bench-big/configmaps", {
            metadata: { name: `big-${i + j}` },
            data: { big },
          }),
        ),
      );

    // The loopback front for kubectl: forwards every request through the tunnel tunnel.
    front = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
        tc.agentFetch(reg.agentId, {
          method: req.method,
          path: req.url ?? "/",
          headers,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        }).then(
          async (r) => {
            res.writeHead(r.status, Object.fromEntries(r.headers));
            if (r.body) for await (const c of r.body as unknown as AsyncIterable<Uint8Array>) res.write(c);
            res.end();
          },
          (e: Error) => res.writeHead(502).end(e.message),
        );
      });
    });
    await new Promise<void>((r) => front!.listen(0, "127.0.0.1", r));
    const frontUrl = `http://127.0.0.1:${(front.address() as { port: number }).port}`;
    const kubectl = path.join(tb.binDir, "kubectl");

    const timeKubectl = async (args: string[]) => {
      const t0 = process.hrtime.bigint();
      const { stdout } = await run(kubectl, args, { maxBuffer: 256 * 1024 * 1024 }).catch(
        (e: Error & { stderr?: string }) => {
          throw new Error(`kubectl ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
        },
      );
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      return { ms, stdout };
    };
    const directArgs = ["--kubeconfig", tb.kubeconfig, "get", "configmaps", "-n", "bench", "-o", "name"];
    const tunnelArgs = [
      "--kubeconfig",
      tb.kubeconfig,
      "--server",
      frontUrl,
      "--token",
      "unused-through-the-tunnel",
      "--insecure-skip-tls-verify=false",
      "get",
      "configmaps",
      "-n",
      "bench",
      "-o",
      "name",
    ];

    // The remotedialer server is plain HTTP on loopback (as the tunnel's front is) and adds the API server's token.
    const peerArgs = peer ? tunnelArgs.map((x) => (x === frontUrl ? peer!.url : x)) : [];

    const a = await timeKubectl(directArgs);
    for (const [name, args] of [["the tunnel", tunnelArgs], ...(peer ? [["remotedialer", peerArgs]] : [])] as const) {
      const b = await timeKubectl([...args]);
      if (a.stdout !== b.stdout || a.stdout.trim().split("\n").length < 1000)
        throw new Error(
          `kubectl through ${name} did not list the same 1,000 ConfigMaps: direct ${a.stdout.length} bytes, ${name} ${b.stdout.length} bytes ${b.stdout.slice(0, 300)}`,
        );
    }

    const direct: number[] = [];
    const tunnel: number[] = [];
    const viaPeer: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      direct.push((await timeKubectl(directArgs)).ms);
      tunnel.push((await timeKubectl(tunnelArgs)).ms);
      if (peer) viaPeer.push((await timeKubectl(peerArgs)).ms);
    }

    // CPU time of each process during the HTTP-only and large LISTs: where the tunnel's extra work goes.
    const pids: Record<string, number> = {
      bench: process.pid,
      "kube-apiserver": tb.pids["kube-apiserver"] ?? 0,
      kas: kas.child.pid ?? 0,
      agent: agent.child.pid ?? 0,
      ...(peer ? { "rd-server": peer.serverPid, "rd-client": peer.clientPid } : {}),
    };
    // Raw LIST of 1,000 objects (no kubectl start-up), and a ~36 MB LIST for throughput.
    const rawDirect: number[] = [];
    const rawTunnel: number[] = [];
    const rawPeer: number[] = [];
    // CPU each process spent on the HTTP-only LISTs of each path (ms, summed over the rounds): on a busy
    // machine wall time follows CPU, so this tells what waits from what works.
    const rawCpu = {
      direct: {} as Record<string, number>,
      tunnel: {} as Record<string, number>,
      peer: {} as Record<string, number>,
    };
    // The peer is plain HTTP on loopback, read over a kept-alive connection.
    const peerAgent = new http.Agent({ keepAlive: true });
    // A stalled answer fails the bench with what arrived, instead of hanging it.
    const peerGet = (p: string) =>
      new Promise<Buffer>((resolve, reject) => {
        const req = http
          .get(new URL(p, peer!.url), { agent: peerAgent }, (res) => {
            if (res.statusCode !== 200) reject(new Error(`GET ${p} through remotedialer answered ${res.statusCode}`));
            joined(res).then(resolve, reject);
          })
          .on("error", reject);
        req.setTimeout(60_000, () => req.destroy(new Error(`GET ${p} through remotedialer stalled: nothing for 60 s`)));
      });
    // Every process of any path, etcd included: a sample in which none of them runs or waits for a core is a stall.
    const stallMeter = startStallMeter([...Object.values(pids), tb.pids.etcd ?? 0]);
    const stalls = {
      raw: { direct: [] as StallReading[], tunnel: [] as StallReading[], peer: [] as StallReading[] },
      big: { direct: [] as StallReading[], tunnel: [] as StallReading[], peer: [] as StallReading[] },
    };
    const charge = async (to: Record<string, number>, fn: () => Promise<unknown>) => {
      const before = cpuMs(pids);
      const t0 = performance.now();
      await fn();
      const ms = performance.now() - t0;
      const after = cpuMs(pids);
      for (const k of Object.keys(pids)) to[k] = (to[k] ?? 0) + after[k]! - before[k]!;
      return ms;
    };
    const rawLists = {
      direct: () => apiserverRequest(tb, "GET", "/api/v1/namespaces/bench/configmaps"),
      tunnel: async () =>
        (await tc.agentFetch(reg.agentId, { path: "/api/v1/namespaces/bench/configmaps" })).arrayBuffer(),
      peer: () => peerGet("/api/v1/namespaces/bench/configmaps"),
    };
    for (let i = 0; i < ROUNDS; i++) {
      rawDirect.push(await charge(rawCpu.direct, rawLists.direct));
      rawTunnel.push(await charge(rawCpu.tunnel, rawLists.tunnel));
      if (peer) rawPeer.push(await charge(rawCpu.peer, rawLists.peer));
    }
    // The stall share in rounds of its own: the sampler's work would slow the timed ones (bench/stall.ts).
    for (let i = 0; i < STALL_ROUNDS; i++) {
      stalls.raw.direct.push((await stallMeter.measure(rawLists.direct)).stall);
      stalls.raw.tunnel.push((await stallMeter.measure(rawLists.tunnel)).stall);
      if (peer) stalls.raw.peer.push((await stallMeter.measure(rawLists.peer)).stall);
    }
    const mbps = async (fn: () => Promise<number>) => {
      const rates: number[] = [];
      await fn(); // warm-up, not counted
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const bytes = await fn();
        rates.push(bytes / 1e6 / ((performance.now() - t0) / 1000));
      }
      return { median: percentile(rates, 50), bytes: await fn() };
    };
    const withCpu = async (fn: () => Promise<{ median: number; bytes: number }>) => {
      const before = cpuMs(pids);
      const r = await fn();
      const after = cpuMs(pids);
      const per = Object.keys(pids).map((k) => [k, (after[k]! - before[k]!) / 9] as const);
      const total = per.reduce((a, [, v]) => a + v, 0);
      return {
        ...r,
        total,
        cpuBy: Object.fromEntries(per),
        cpu: `${per.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")} (in all ${total.toFixed(0)})`,
      };
    };
    // Both paths read the answer the same way: a keep-alive connection (the tunnel's are kept too),
    // chunks as they arrive, joined into one buffer at the end.
    const keepAlive = new https.Agent({ keepAlive: true, ca: fs.readFileSync(tb.caFile) });
    const directGet = (p: string) =>
      new Promise<Buffer>((resolve, reject) => {
        https
          .get(
            new URL(p, tb.server),
            { agent: keepAlive, headers: { authorization: `Bearer ${tb.adminToken}` } },
            (res) => {
              if (res.statusCode !== 200) reject(new Error(`GET ${p} answered ${res.statusCode}`));
              joined(res).then(resolve, reject);
            },
          )
          .on("error", reject);
      });
    const tunnelGet = async (p: string) => {
      const res = await tc.agentFetch(reg.agentId, { path: p });
      if (res.status !== 200 || !res.body) throw new Error(`GET ${p} through the tunnel answered ${res.status}`);
      return joined(res.body as unknown as AsyncIterable<Uint8Array>);
    };
    const bigLists = {
      direct: async () => (await directGet("/api/v1/namespaces/bench-big/configmaps")).length,
      tunnel: async () => (await tunnelGet("/api/v1/namespaces/bench-big/configmaps")).length,
      peer: async () => (await peerGet("/api/v1/namespaces/bench-big/configmaps")).length,
    };
    const bigDirect = await withCpu(() => mbps(bigLists.direct));
    const bigTunnel = await withCpu(() => mbps(bigLists.tunnel));
    const bigPeer = peer ? await withCpu(() => mbps(bigLists.peer)) : null;
    for (let i = 0; i < 2; i++) {
      stalls.big.direct.push((await stallMeter.measure(bigLists.direct)).stall);
      stalls.big.tunnel.push((await stallMeter.measure(bigLists.tunnel)).stall);
      if (peer) stalls.big.peer.push((await stallMeter.measure(bigLists.peer)).stall);
    }
    stallMeter.stop();
    keepAlive.destroy();
    peerAgent.destroy();

    // Three columns (direct, Tether's tunnel, remotedialer) and each tunnel's ratio to direct.
    const cell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "—" : v.toFixed(1)).padStart(9);
    const ratio = (v: number | undefined, d: number) =>
      (v === undefined || Number.isNaN(v) ? "—" : `${(v / d).toFixed(2)}×`).padStart(7);
    const row = (name: string, d: number, t: number, r: number | undefined, unit: string, target: string) =>
      console.log(
        // A share is not compared by ratio: its columns are read side by side.
        `${name.padEnd(44)} ${cell(d)} ${cell(t)} ${cell(r)} ${unit.padEnd(5)} ${unit === "%" ? "".padStart(15) : `${ratio(t, d)} ${ratio(r, d)}`}  ${target}`,
      );
    const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q) : undefined);
    console.log(`\nbench/tunnel — Kubernetes ${version}, ${ROUNDS} rounds each, ${os.cpus().length} CPUs`);
    console.log(
      `${"measure".padEnd(44)} ${"direct".padStart(9)} ${"tether".padStart(9)} ${"remotedlr".padStart(9)} ${"unit".padEnd(5)} ${"tether".padStart(7)} ${"rd".padStart(7)}  target (tether)`,
    );
    row("kubectl get configmaps (1,000) p50", p(direct, 50)!, p(tunnel, 50)!, p(viaPeer, 50), "ms", "≤ 1.10×");
    row("kubectl get configmaps (1,000) p99", p(direct, 99)!, p(tunnel, 99)!, p(viaPeer, 99), "ms", "≤ 1.25×");
    row(
      "LIST 1,000 ConfigMaps, HTTP only, p50",
      p(rawDirect, 50)!,
      p(rawTunnel, 50)!,
      p(rawPeer, 50),
      "ms",
      "≤ 1.30× (no kubectl start-up)",
    );
    row("LIST 1,000 ConfigMaps, HTTP only, p99", p(rawDirect, 99)!, p(rawTunnel, 99)!, p(rawPeer, 99), "ms", "");
    row(
      `large LIST (${(bigDirect.bytes / 1e6).toFixed(1)} MB) throughput, median`,
      bigDirect.median,
      bigTunnel.median,
      bigPeer?.median,
      "MB/s",
      "≥ 0.70×",
    );
    const share = (r: StallReading[]) => (r.length ? stallShare(r) * 100 : undefined);
    row(
      "stall share, LIST 1,000 ConfigMaps",
      share(stalls.raw.direct)!,
      share(stalls.raw.tunnel)!,
      share(stalls.raw.peer),
      "%",
      "(nothing of the path runs)",
    );
    row(
      "stall share, large LIST",
      share(stalls.big.direct)!,
      share(stalls.big.tunnel)!,
      share(stalls.big.peer),
      "%",
      "",
    );
    const queued = (r: StallReading[]) =>
      r.length
        ? `${((r.reduce((a, x) => a + x.queuedMs, 0) / r.reduce((a, x) => a + x.wallMs, 0)) * 100).toFixed(0)} %`
        : "—";
    console.log(
      `run-queue wait (threads runnable, waiting for a core others held), per wall time: large LIST direct ${queued(stalls.big.direct)}, tether ${queued(stalls.big.tunnel)}, remotedialer ${queued(stalls.big.peer)}`,
    );
    const allStalls = [...Object.values(stalls.raw), ...Object.values(stalls.big)].flat();
    console.log(
      `the stall sampler used ${(samplerLoad(allStalls) * 100).toFixed(0)} % of a core while it sampled: stall shares and run-queue waits come from ${STALL_ROUNDS} HTTP-only and 2 large LISTs per path of their own; nothing above was timed while it ran`,
    );
    console.log(`CPU ms per large LIST, direct: ${bigDirect.cpu}`);
    console.log(`CPU ms per large LIST, tunnel: ${bigTunnel.cpu}`);
    if (bigPeer) console.log(`CPU ms per large LIST, remotedialer: ${bigPeer.cpu}`);
    // CPU-seconds per GB added by each tunnel's two processes over the direct path (holds on any machine).
    const added = (b: { cpuBy: Record<string, number>; bytes: number }, keys: string[]) =>
      (keys.reduce((a, k) => a + (b.cpuBy[k] ?? 0), 0) / 1000 / (b.bytes / 1e9)).toFixed(2);
    console.log(
      `added CPU-seconds per GB: tether (kas + agent) ${added(bigTunnel, ["kas", "agent"])}` +
        (bigPeer ? `, remotedialer (server + client) ${added(bigPeer, ["rd-server", "rd-client"])}` : "") +
        " (target ≤ 4 for tether)",
    );
    // Every process shares the same cores here: a LIST cannot move faster than cores / (CPU per byte).
    const cores = os.cpus().length;
    const ceiling = (b: { bytes: number; total: number }) => b.bytes / 1e6 / (b.total / cores / 1000);
    console.log(
      `the ceiling on ${cores} shared cores: direct ${ceiling(bigDirect).toFixed(0)} MB/s, tunnel ${ceiling(bigTunnel).toFixed(0)} MB/s (${(ceiling(bigTunnel) / ceiling(bigDirect)).toFixed(2)}×)` +
        (bigPeer
          ? `, remotedialer ${ceiling(bigPeer).toFixed(0)} MB/s (${(ceiling(bigPeer) / ceiling(bigDirect)).toFixed(2)}×)`
          : ""),
    );
    const perList = (c: Record<string, number>) => {
      const per = Object.keys(pids).map((k) => [k, (c[k] ?? 0) / ROUNDS] as const);
      return `${per.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")} (in all ${per.reduce((a, [, v]) => a + v, 0).toFixed(1)})`;
    };
    console.log(`CPU ms per HTTP-only LIST, direct: ${perList(rawCpu.direct)}`);
    console.log(`CPU ms per HTTP-only LIST, tunnel: ${perList(rawCpu.tunnel)}`);
    if (peer) console.log(`CPU ms per HTTP-only LIST, remotedialer: ${perList(rawCpu.peer)}`);
    for (const line of hopBreakdown(traceFile, "/api/v1/namespaces/bench/configmaps")) console.log(line);
    console.log(`load average ${os.loadavg()[0]!.toFixed(1)}`);
  } finally {
    front?.close();
    await peer?.stop();
    await rig?.stop();
    await tb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench("bench/tunnel", main);
