// 410 Gone for real: a testbed of its own whose kube-apiserver has no watch cache, so a watch resumed
// from a revision etcd has compacted away is refused. While kas is down the cluster changes and etcd is
// compacted; when kas is back the collection relists and its viewer gets exactly the difference.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest, startTestbed, type Testbed } from "@/testbed/cluster";
import { startKasProcess, startTunnelStack, type TunnelStack } from "@/testbed/tunnel-stack";
import { Registry } from "prom-client";
import { ClusterCache } from "./cache";
import { registerCacheMetrics } from "./metrics";
import type { CollectionEvent } from "./collection";
import type { KubeObject } from "./wire";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Compacts etcd up to its current revision through its gRPC gateway; returns that revision. */
async function compactEtcd(etcdUrl: string): Promise<number> {
  const range = await fetch(`${etcdUrl}/v3/kv/range`, {
    method: "POST",
    body: JSON.stringify({ key: Buffer.from("/").toString("base64"), count_only: true }),
  });
  const revision = Number(((await range.json()) as { header: { revision: string } }).header.revision);
  const res = await fetch(`${etcdUrl}/v3/kv/compaction`, {
    method: "POST",
    body: JSON.stringify({ revision, physical: true }),
  });
  if (!res.ok) throw new Error(`etcd compaction: ${res.status} ${await res.text()}`);
  return revision;
}

describe("cluster cache after 410 Gone", () => {
  const shared = inject("testbed");
  let tb: Testbed;
  let stack: TunnelStack;
  const ns = "gone";
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);

  beforeAll(async () => {
    tb = await startTestbed({
      dir: fs.mkdtempSync(path.join(os.tmpdir(), "tether-testbed-gone-")),
      version: shared.version,
      workloads: false,
      watchCache: false,
    });
    stack = await startTunnelStack(tb.kubeconfig, { name: "gone" });
    await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } });
  });

  afterAll(async () => {
    await stack?.stop();
    await tb?.stop();
    if (tb) fs.rmSync(tb.dir, { recursive: true, force: true });
  });

  it("a watch resumed after compaction relists and the viewer gets exactly the difference; objects equal a direct LIST", async () => {
    const cmPath = `/api/v1/namespaces/${ns}/configmaps`;
    for (let i = 0; i < 20; i++) await direct("POST", cmPath, { metadata: { name: `keep-${i}` }, data: { v: "0" } });
    const cache = new ClusterCache(stack.client, 1_000);
    const registry = new Registry();
    registerCacheMetrics(registry, () => cache.stats());
    const seen: CollectionEvent[] = [];
    const { collection, leave } = await cache.view({ agentId: stack.agentId, path: cmPath }, (e) => seen.push(e));
    const before = new Set(collection.objects.keys());
    await direct("POST", cmPath, { metadata: { name: "watched" } });
    const until0 = Date.now() + 10_000;
    while (seen.length < 1 && Date.now() < until0) await sleep(50);
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED watched"]);

    // The watch stops with kas; meanwhile the cluster changes and etcd forgets the history.
    await stack.kas.kill("SIGKILL");
    for (let i = 0; i < 5; i++) await direct("DELETE", `${cmPath}/keep-${i}`);
    for (let i = 5; i < 10; i++) await direct("PATCH", `${cmPath}/keep-${i}`, { data: { v: "1" } });
    for (let i = 0; i < 10; i++) await direct("POST", cmPath, { metadata: { name: `new-${i}` } });
    await direct("POST", cmPath, { metadata: { name: "fleeting" } });
    await direct("DELETE", `${cmPath}/fleeting`);
    await compactEtcd(tb.etcdUrl);
    const mark = seen.length;
    stack.kas = await startKasProcess(
      stack.web,
      {},
      { agent: stack.kas.agentPort, internal: stack.kas.internalPort, observability: stack.kas.observabilityPort },
    );

    const until = Date.now() + 30_000;
    while (seen.length < mark + 20 && Date.now() < until) await sleep(100);
    await sleep(1_000); // anything extra (a duplicate) would arrive now
    expect(collection.relists).toBeGreaterThanOrEqual(1);
    const scraped = await registry.metrics();
    expect(scraped).toMatch(/^tether_web_cache_relists_total [1-9]/m);
    expect(scraped).toMatch(new RegExp(`^tether_web_cache_events_total ${seen.length}$`, "m"));
    expect(scraped).toMatch(/^tether_web_cache_collections 1$/m);
    const diff = seen.slice(mark).map((e) => `${e.type} ${e.object.metadata.name}`);
    const expected = [
      ...Array.from({ length: 5 }, (_, i) => `DELETED keep-${i}`),
      ...Array.from({ length: 5 }, (_, i) => `MODIFIED keep-${i + 5}`),
      ...Array.from({ length: 10 }, (_, i) => `ADDED new-${i}`),
    ];
    expect([...diff].sort()).toEqual([...expected].sort());
    expect(new Set(diff).size).toBe(diff.length);
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));

    const listed = JSON.parse((await direct("GET", cmPath)).body) as { items: KubeObject[] };
    const fromList = new Map(listed.items.map((o) => [`${ns}/${o.metadata.name}`, o.metadata.resourceVersion]));
    const cached = new Map([...collection.objects].map(([k, o]) => [k, o.metadata.resourceVersion]));
    expect(cached).toEqual(fromList);
    expect(before.size).toBeGreaterThanOrEqual(20);

    // Watching goes on after the relist.
    await direct("POST", cmPath, { metadata: { name: "after" } });
    const until2 = Date.now() + 10_000;
    while (!seen.some((e) => e.object.metadata.name === "after") && Date.now() < until2) await sleep(50);
    expect(seen.at(-1)?.object.metadata.name).toBe("after");
    leave();
    cache.stopAll();
  }, 180_000);
});
