// The cluster cache against the testbed through real kas and agent processes: 500 changes made
// directly against kube-apiserver reach a viewer complete, in order and without duplicates, also
// across a kas restart; viewers share one upstream watch per identity and never mix identities.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "@/testbed/cluster";
import { startKasProcess, startTunnelStack, type TunnelStack } from "@/testbed/tunnel-stack";
import { ClusterCache } from "./cache";
import type { CollectionEvent } from "./collection";
import { readFrames, type LiveFrame } from "./wire";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cluster cache and its server-sent events", () => {
  const tb = inject("testbed");
  const ns = `cache-${Date.now().toString(36)}`;
  let stack: TunnelStack;
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);

  beforeAll(async () => {
    stack = await startTunnelStack(tb.kubeconfig, { name: "cache" });
    await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } });
  });

  afterAll(async () => {
    await stack?.stop();
    await direct("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
  });

  it("500 changes arrive complete, in order, without duplicates, across a kas restart; managedFields stripped", async () => {
    const cache = new ClusterCache(stack.client, 1_000);
    const seen: CollectionEvent[] = [];
    const { collection, leave } = await cache.view(
      { agentId: stack.agentId, path: `/api/v1/namespaces/${ns}/configmaps?labelSelector=run%3Dcache` },
      (e) => seen.push(e),
    );
    expect(collection.objects.size).toBe(0);

    const expected: string[] = [];
    const change = async (i: number) => {
      const name = `cm-${i % 100}`;
      if (i < 100) {
        await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, {
          metadata: { name, labels: { run: "cache" } },
          data: { step: String(i) },
        });
        expected.push(`ADDED ${name} ${i}`);
      } else if (i < 400) {
        await direct("PATCH", `/api/v1/namespaces/${ns}/configmaps/${name}`, { data: { step: String(i) } });
        expected.push(`MODIFIED ${name} ${i}`);
      } else {
        const last = await direct("GET", `/api/v1/namespaces/${ns}/configmaps/${name}`);
        const step = (JSON.parse(last.body) as { data: { step: string } }).data.step;
        await direct("DELETE", `/api/v1/namespaces/${ns}/configmaps/${name}`);
        expected.push(`DELETED ${name} ${step}`);
      }
    };
    for (let i = 0; i < 250; i++) await change(i);
    // kas goes away in the middle and comes back on the same ports; changes continue meanwhile.
    await stack.kas.kill("SIGKILL");
    for (let i = 250; i < 300; i++) await change(i);
    stack.kas = await startKasProcess(
      stack.web,
      {},
      { agent: stack.kas.agentPort, internal: stack.kas.internalPort, observability: stack.kas.observabilityPort },
    );
    for (let i = 300; i < 500; i++) await change(i);

    const until = Date.now() + 30_000;
    while (seen.length < 500 && Date.now() < until) await sleep(100);
    await sleep(500);
    const got = seen.map(
      (e) => `${e.type} ${e.object.metadata.name} ${(e.object.data as { step?: string } | undefined)?.step ?? ""}`,
    );
    expect(got).toEqual(expected);
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(seen.some((e) => e.object.metadata.managedFields !== undefined)).toBe(false);
    expect(collection.objects.size).toBe(0);
    expect(collection.since(250)?.length).toBe(250);
    leave();
    cache.stopAll();
  }, 120_000);

  it("viewers with one identity share a collection; another identity gets its own and sees only what RBAC allows", async () => {
    await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: "shared-view", labels: { run: "ids" } },
    });
    const cache = new ClusterCache(stack.client, 60_000);
    const path = `/api/v1/namespaces/${ns}/configmaps?labelSelector=run%3Dids`;
    // Peeking (the page's server-rendered first rows) never starts a collection.
    expect(cache.peek({ agentId: stack.agentId, path })).toBeNull();
    expect(cache.stats().collections).toBe(0);
    const a = await cache.view({ agentId: stack.agentId, path }, () => undefined);
    const b = await cache.view({ agentId: stack.agentId, path }, () => undefined);
    expect(a.collection).toBe(b.collection);
    expect(cache.stats()).toMatchObject({ collections: 1, viewers: 2 });
    expect(cache.peek({ agentId: stack.agentId, path })?.map((o) => o.metadata.name)).toEqual(["shared-view"]);
    // A user without any RBAC grant: the API server refuses the LIST, and nothing leaks.
    const stranger = { user: "tether:user:stranger", groups: ["tether:user"], uid: "", extra: {} };
    await expect(
      cache.view({ agentId: stack.agentId, path, impersonation: stranger }, () => undefined),
    ).rejects.toThrow(/403/);
    expect(cache.stats()).toMatchObject({ collections: 1, viewers: 2 });
    // Nor does a peek as that user see what the other identity's collection holds.
    expect(cache.peek({ agentId: stack.agentId, path, impersonation: stranger })).toBeNull();
    a.leave();
    b.leave();
    expect(cache.stats().viewers).toBe(0);
    // Within the linger time the collection is still warm: a page may render from it.
    expect(cache.peek({ agentId: stack.agentId, path })).toHaveLength(1);
    cache.stopAll();
    expect(cache.peek({ agentId: stack.agentId, path })).toBeNull();
  });

  // Server-sent events from the cache (lib/cluster-cache/sse.ts), on the same rig.
  /** Reads SSE frames until `stop` says enough (or 20 s pass); returns them with their ids. */
  async function read(stream: ReadableStream<Uint8Array>, stop: (frames: LiveFrame[]) => boolean) {
    const frames: LiveFrame[] = [];
    const until = Date.now() + 20_000;
    for await (const f of readFrames(stream)) {
      frames.push(f);
      if (stop(frames) || Date.now() >= until) break;
    }
    return frames;
  }

  const names = (frames: LiveFrame[]) =>
    frames.flatMap((f) =>
      f.event === "changes" ? f.data.events.map((e) => `${e.type} ${e.object.metadata.name}`) : [],
    );

  it("a snapshot, then batched changes; Last-Event-ID resumes without loss or duplicates", async () => {
    const { liveStream } = await import("./sse");
    const cache = new ClusterCache(stack.client, 60_000);
    const key = { agentId: stack.agentId, path: `/api/v1/namespaces/${ns}/configmaps` };
    await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "before" } });
    await sleep(300);
    const first = new AbortController();
    const s1 = await liveStream(cache, [key], null, "e1", first.signal);
    const writes = (async () => {
      for (let i = 0; i < 20; i++)
        await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: `a-${i}` } });
    })();
    const part1 = await read(s1, (f) => names(f).length >= 10);
    first.abort();
    const opening = part1[0]!;
    expect(opening.event).toBe("snapshot");
    const snapItems = (opening.event === "snapshot" ? opening.data.collections[0]!.items : []).map(
      (o) => o.metadata.name,
    );
    expect(snapItems).toContain("before");
    const lastId = [...part1].reverse().flatMap((f) => ("id" in f ? [f.id] : []))[0]!;
    await writes;
    // More changes while this viewer is away; the resumed stream brings exactly what it missed.
    for (let i = 0; i < 10; i++)
      await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: `b-${i}` } });
    const s2 = await liveStream(cache, [key], lastId, "e1", new AbortController().signal);
    const part2 = await read(s2, (f) => names(f).filter((n) => n.startsWith("ADDED b-")).length >= 10);
    expect(part2[0]!.event).toBe("changes"); // resumed: no second snapshot
    const all = [...names(part1), ...names(part2)].filter((n) => /^ADDED [ab]-/.test(n));
    expect(all).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `ADDED a-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `ADDED b-${i}`),
    ]);
    // An id from another process epoch (a restarted web) gets a fresh snapshot.
    const s3 = await liveStream(cache, [key], "other:5", "e1", new AbortController().signal);
    expect((await read(s3, (f) => f.length >= 1))[0]!.event).toBe("snapshot");
    cache.stopAll();
  });
});
