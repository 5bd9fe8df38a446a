// `npm run bench:live` (node --expose-gc): the live cluster view's cache and SSE stream against the
// testbed through real kas and agent processes. P3: a ConfigMap created or patched straight against
// kube-apiserver, time until the event reaches a direct watch, the cache's listener and a liveStream
// consumer. P4: 1,000 SSE viewers of one view: upstream watches (kas active streams) and heap per viewer
// after GC. Targets: SSE p99 ≤ 50 ms, one upstream watch, ≤ 20 KB per viewer.
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { ensureTestbedBinaries } from "../../testbed/build";
import { apiserverRequest, startTestbed, type TestbedState } from "../../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import { startTunnelStack, type TunnelStack } from "../../testbed/tunnel-stack";
import { ClusterCache, frameReader, liveStream, type KubeObject, type LiveFrame } from "../../lib/cluster-cache";
import { percentile, runBench } from "../common";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 200);
const NS = "live";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with node --expose-gc (npm run bench:live does)");
  collect();
  collect();
}

/** Which change an object shows: "name@step". */
const tag = (o: KubeObject) => `${o.metadata.name}@${(o.data as { step?: string } | undefined)?.step ?? ""}`;

/** A watch straight to kube-apiserver, the direct path the others are compared with. */
function directWatch(tb: TestbedState, resourceVersion: string, onEvent: (o: KubeObject) => void): () => void {
  const url = new URL(`/api/v1/namespaces/${NS}/configmaps?watch=1&resourceVersion=${resourceVersion}`, tb.server);
  const req = https.request(
    url,
    { ca: fs.readFileSync(tb.caFile), headers: { authorization: `Bearer ${tb.adminToken}` } },
    (res) => {
      let buf = "";
      res.on("data", (c: Buffer) => {
        buf += c.toString();
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line) onEvent((JSON.parse(line) as { object: KubeObject }).object);
        }
      });
    },
  );
  req.on("error", () => undefined);
  req.end();
  return () => req.destroy();
}

/**
 * Reads an SSE stream to its end, calling `onFrame` with each frame. Frames are handed on from the
 * reader's callback, so nothing of a frame stays referenced from the suspended reading loop and the heap
 * measured for P4 is the server side's, not this reader's.
 */
async function consume(stream: ReadableStream<Uint8Array>, onFrame: (frame: LiveFrame) => void): Promise<void> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  const frames = frameReader(onFrame);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    frames.feed(dec.decode(value, { stream: true }));
  }
}

const changedObjects = (frame: LiveFrame): KubeObject[] =>
  frame.event === "changes" ? frame.data.events.map((e) => e.object) : [];

async function main(): Promise<void> {
  const version = TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version, (m) => console.log(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-live-"));
  const tb = await startTestbed({ dir, version, workloads: false });
  let rig: TunnelStack | undefined;
  const cache = { current: undefined as ClusterCache | undefined };
  const stops: (() => void)[] = [];
  try {
    rig = await startTunnelStack(tb.kubeconfig);
    const { client } = rig;
    const reg = rig;
    const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
    console.log("bench: creating 100 ConfigMaps for the snapshot…");
    await direct("POST", "/api/v1/namespaces", { metadata: { name: NS } });
    for (let i = 0; i < 100; i += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, j) =>
          direct("POST", `/api/v1/namespaces/${NS}/configmaps`, {
            metadata: { name: `base-${i + j}`, labels: { app: "bench" } },
            data: { step: "0", text: "lorem ipsum ".repeat(10) },
          }),
        ),
      );
    }

    // P3: each change is timed from just before its request until each path reports it.
    const clusterCache = new ClusterCache(client, 60_000);
    cache.current = clusterCache;
    const key = { agentId: reg.agentId, path: `/api/v1/namespaces/${NS}/configmaps` };
    const arrived = {
      direct: new Map<string, number>(),
      listener: new Map<string, number>(),
      sse: new Map<string, number>(),
    };
    const listRv = (
      JSON.parse((await direct("GET", `/api/v1/namespaces/${NS}/configmaps?limit=1`)).body) as {
        metadata: { resourceVersion: string };
      }
    ).metadata.resourceVersion;
    stops.push(directWatch(tb, listRv, (o) => arrived.direct.set(tag(o), performance.now())));
    const listenerView = await clusterCache.view(key, (e) => arrived.listener.set(tag(e.object), performance.now()));
    stops.push(listenerView.leave);
    const sseAbort = new AbortController();
    stops.push(() => sseAbort.abort());
    void consume(await liveStream(clusterCache, [key], null, "bench", sseAbort.signal), (frame) => {
      const now = performance.now();
      for (const o of changedObjects(frame)) arrived.sse.set(tag(o), now);
    });
    await sleep(500);

    console.log(`bench: P3, ${CHANGES} creates and patches…`);
    const lat = { direct: [] as number[], listener: [] as number[], sse: [] as number[] };
    for (let i = 0; i < CHANGES; i++) {
      const name = `p3-${i % 100}`;
      const t = `${name}@${i}`;
      const t0 = performance.now();
      if (i < 100)
        await direct("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name }, data: { step: String(i) } });
      else await direct("PATCH", `/api/v1/namespaces/${NS}/configmaps/${name}`, { data: { step: String(i) } });
      const deadline = Date.now() + 5_000;
      while (!(arrived.direct.has(t) && arrived.listener.has(t) && arrived.sse.has(t)) && Date.now() < deadline)
        await sleep(1);
      for (const k of ["direct", "listener", "sse"] as const) {
        const at = arrived[k].get(t);
        if (at === undefined) throw new Error(`P3: ${t} did not reach the ${k} path within 5 s`);
        lat[k].push(at - t0);
      }
      // Changes at random moments (about nine a second with the request), not in step with any timer.
      await sleep(Math.random() * GAP_MS);
    }
    sseAbort.abort();

    // P4: many viewers of one view; memory is measured against the same process with the collection
    // already warm and one viewer (the listener) joined.
    console.log(`bench: P4, ${VIEWERS} SSE viewers of one view…`);
    await sleep(200);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const viewers: AbortController[] = [];
    stops.push(() => viewers.forEach((v) => v.abort()));
    const snapshotSeen = new Uint8Array(VIEWERS);
    const fanoutAt = new Float64Array(VIEWERS);
    const t0Open = performance.now();
    for (let v = 0; v < VIEWERS; v++) {
      viewers.push(new AbortController()); // one per viewer, as each HTTP request has its own
      const stream = await liveStream(clusterCache, [key], null, "bench", viewers[v]!.signal);
      void consume(stream, (frame) => {
        if (frame.event === "snapshot") snapshotSeen[v] = 1;
        else if (!fanoutAt[v] && changedObjects(frame).some((o) => tag(o) === "base-0@fanout"))
          fanoutAt[v] = performance.now();
      });
    }
    while (snapshotSeen.some((s) => s === 0)) await sleep(20);
    const openMs = performance.now() - t0Open;
    await sleep(500);
    gc();
    const heap1 = process.memoryUsage().heapUsed;
    const status = await client.agentStatus(reg.agentId);
    const stats = clusterCache.stats();
    const t0Fanout = performance.now();
    await direct("PATCH", `/api/v1/namespaces/${NS}/configmaps/base-0`, { data: { step: "fanout" } });
    const fanoutDeadline = Date.now() + 10_000;
    while (fanoutAt.some((t) => t === 0) && Date.now() < fanoutDeadline) await sleep(5);
    const fanout = [...fanoutAt].map((t) => (t ? t - t0Fanout : Number.POSITIVE_INFINITY));
    const perViewerKb = (heap1 - heap0) / VIEWERS / 1024;

    const cols = (a: string, b: string, c: string, d: string, e: string, f: string, g: string) =>
      console.log(
        `${a.padEnd(46)} ${b.padStart(9)} ${c.padStart(9)} ${d.padStart(9)} ${e.padEnd(5)} ${f.padStart(7)}  ${g}`,
      );
    const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "lost");
    console.log(
      `\nbench/live — Kubernetes ${version}, ${CHANGES} changes, ${VIEWERS} viewers, ${os.cpus().length} CPUs`,
    );
    cols("measure", "direct", "cache", "SSE", "unit", "ratio", "target");
    cols(
      "P3 change → event p50",
      ms(percentile(lat.direct, 50)),
      ms(percentile(lat.listener, 50)),
      ms(percentile(lat.sse, 50)),
      "ms",
      `${(percentile(lat.sse, 50) / percentile(lat.direct, 50)).toFixed(2)}×`,
      "",
    );
    cols(
      "P3 change → event p99",
      ms(percentile(lat.direct, 99)),
      ms(percentile(lat.listener, 99)),
      ms(percentile(lat.sse, 99)),
      "ms",
      `${(percentile(lat.sse, 99) / percentile(lat.direct, 99)).toFixed(2)}×`,
      `SSE ≤ 50 ms ${percentile(lat.sse, 99) <= 50 ? "ok" : "MISSED"}`,
    );
    cols(
      `P4 upstream watches, ${VIEWERS} viewers`,
      String(VIEWERS),
      String(stats.collections),
      String(status.activeStreams),
      "",
      "",
      `one (cache collections; SSE column: kas active streams) ${stats.collections === 1 && status.activeStreams === 1 ? "ok" : "MISSED"}`,
    );
    cols(
      "P4 heap per viewer after GC",
      "",
      "",
      perViewerKb.toFixed(1),
      "KB",
      "",
      `≤ 20 KB ${perViewerKb <= 20 ? "ok" : "MISSED"}`,
    );
    cols(`P4 open ${VIEWERS} streams to snapshot`, "", "", openMs.toFixed(0), "ms", "", "");
    cols(`P4 one change → all ${VIEWERS} viewers p50`, "", "", ms(percentile(fanout, 50)), "ms", "", "");
    cols(`P4 one change → all ${VIEWERS} viewers p99`, "", "", ms(percentile(fanout, 99)), "ms", "", "");
    console.log(
      "direct: a watch straight to kube-apiserver (P4: what 1,000 viewers would need without a shared cache); cache: the ClusterCache listener through the tunnel; SSE: a liveStream consumer.",
    );
    console.log("P5 (10,000 pods in Chromium) is npm run bench:live-browser.");
  } finally {
    for (const stop of stops) stop();
    cache.current?.stopAll();
    await rig?.stop();
    await tb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench("bench/live", main);
