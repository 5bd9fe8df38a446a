// How liveStream paces frames, with a hand-fed watch in place of the tunnel: a change on a quiet
// stream goes out at once; a storm is held to about one frame per FLUSH_MS and loses nothing. How it
// resumes from Last-Event-ID: only what was missed from the same collection, a snapshot otherwise (an id
// from another web replica, or from a collection since stopped and started again under the same key).
import { describe, expect, it, vi } from "vitest";
import type { WatchEvent } from "@/lib/tunnel-client";
import { ClusterCache } from "./cache";
import { cm } from "./scripted-source";
import { FLUSH_BURST, FLUSH_MS, liveStream } from "./sse";
import { readFrames, type KubeObject, type LiveFrame } from "./wire";

/** A source whose watch yields whatever the test pushes. */
function fed() {
  const queue: WatchEvent<KubeObject>[] = [];
  let wake: (() => void) | null = null;
  return {
    push(e: WatchEvent<KubeObject>) {
      queue.push(e);
      wake?.();
    },
    source: {
      async agentJson<T>(): Promise<T> {
        return { metadata: { resourceVersion: "1" }, items: [] } as T;
      },
      async *agentWatch<T>(
        _agent: string,
        _path: string,
        opts: { signal?: AbortSignal },
      ): AsyncGenerator<WatchEvent<T>> {
        while (!opts.signal?.aborted) {
          const e = queue.shift();
          if (e) yield e as WatchEvent<T>;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    },
  };
}

async function frames(stream: ReadableStream<Uint8Array>, into: { at: number; names: string[] }[]) {
  for await (const f of readFrames(stream)) {
    if (f.event === "changes")
      into.push({ at: performance.now(), names: f.data.events.map((e) => e.object.metadata.name) });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("liveStream pacing", () => {
  it("sends a change on a quiet stream in a frame of its own and holds a storm to about one frame per FLUSH_MS without losing a change", async () => {
    const { push, source } = fed();
    const cache = new ClusterCache(source as never, 0);
    const abort = new AbortController();
    const got: { at: number; names: string[] }[] = [];
    void frames(await liveStream(cache, [{ agentId: "x", path: "/api/v1/configmaps" }], null, "e", abort.signal), got);

    const t0 = performance.now();
    push({ type: "ADDED", object: cm("quiet", "2") });
    while (got.length === 0 && performance.now() - t0 < 1_000) await sleep(1);
    expect(got[0]?.names).toEqual(["quiet"]);
    // How soon it arrives is measured by bench/live (P3), not asserted here.

    // 400 changes over about a second: at most the bucket plus one frame per FLUSH_MS.
    const stormStart = performance.now();
    for (let i = 0; i < 400; i++) {
      push({ type: "ADDED", object: cm(`storm-${i}`, String(10 + i)) });
      if (i % 4 === 3) await sleep(10);
    }
    while (got.flatMap((f) => f.names).length < 401 && performance.now() - stormStart < 5_000) await sleep(10);
    const elapsed = performance.now() - stormStart;
    const names = got.flatMap((f) => f.names);
    expect(names).toEqual(["quiet", ...Array.from({ length: 400 }, (_, i) => `storm-${i}`)]);
    expect(got.length - 1).toBeLessThanOrEqual(FLUSH_BURST + Math.ceil(elapsed / FLUSH_MS) + 1);
    abort.abort();
    cache.stopAll();
  });
});

/** A stream's frames one at a time (heartbeats and status frames skipped). */
async function opened(cache: ClusterCache, lastEventId: string | null, epoch: string) {
  const abort = new AbortController();
  const key = [{ agentId: "x", path: "/api/v1/configmaps" }];
  const frames = readFrames(await liveStream(cache, key, lastEventId, epoch, abort.signal));
  return {
    async next(): Promise<Exclude<LiveFrame, { event: "status" }>> {
      for (;;) {
        const { value, done } = await frames.next();
        if (done) throw new Error("the stream ended");
        if (value.event !== "status") return value;
      }
    },
    close: () => abort.abort(),
  };
}

const names = (f: Exclude<LiveFrame, { event: "status" }>) =>
  f.event === "snapshot"
    ? f.data.collections.flatMap((c) => c.items.map((o) => o.metadata.name))
    : f.data.events.map((e) => `${e.type} ${e.object.metadata.name}`);

describe("resuming by Last-Event-ID", () => {
  it("sends only what was missed for an id of the same collection, and a snapshot for an id of another replica or of a collection since started again", async () => {
    const { push, source } = fed();
    const cache = new ClusterCache(source as never, 0);

    const first = await opened(cache, null, "replica-a");
    const snapshot = await first.next();
    expect(snapshot.event).toBe("snapshot");
    push({ type: "ADDED", object: cm("a", "2") });
    const afterA = await first.next();
    expect(names(afterA)).toEqual(["ADDED a"]);
    push({ type: "ADDED", object: cm("b", "3") });
    const afterB = await first.next();
    expect(names(afterB)).toEqual(["ADDED b"]);

    // Back on the same replica while the collection lives: the difference only.
    const resumed = await opened(cache, afterA.id, "replica-a");
    const missed = await resumed.next();
    expect(missed.event).toBe("changes");
    expect(names(missed)).toEqual(["ADDED b"]);
    resumed.close();

    // The same id on another replica (another cache epoch): a whole snapshot, nothing lost.
    const elsewhere = await opened(cache, afterB.id, "replica-b");
    const whole = await elsewhere.next();
    expect(whole.event).toBe("snapshot");
    expect(names(whole).sort()).toEqual(["a", "b"]);
    elsewhere.close();

    // Every viewer leaves; the collection stops and a later viewer starts it again (its events count from 1).
    first.close();
    while (cache.stats().collections > 0) await sleep(5);
    const again = await opened(cache, null, "replica-a");
    expect(names(await again.next())).toEqual([]);
    for (const [i, n] of ["c", "d", "e"].entries()) {
      push({ type: "ADDED", object: cm(n, String(10 + i)) });
      // One frame per event: the new collection's sequence passes the old id's.
      expect(names(await again.next())).toEqual([`ADDED ${n}`]);
    }
    // An id from the stopped collection is no position in this one: a snapshot of what is there now.
    const late = await opened(cache, afterB.id, "replica-a");
    const fresh = await late.next();
    expect(fresh.event).toBe("snapshot");
    expect(names(fresh).sort()).toEqual(["c", "d", "e"]);
    late.close();
    again.close();
    cache.stopAll();
  });
});

describe("a snapshot shared by every stream", () => {
  it("serializes a collection once per version: viewers get the same objects from one set of bytes, and a change makes new ones", async () => {
    const { push, source } = fed();
    const cache = new ClusterCache(source as never, 0);
    const viewer = await opened(cache, null, "e");
    expect(names(await viewer.next())).toEqual([]);
    push({ type: "ADDED", object: cm("a", "2") });
    push({ type: "ADDED", object: cm("ü-ünïcode", "3") });
    while (names(await viewer.next()).length < 1);
    const { collection, leave } = await cache.view({ agentId: "x", path: "/api/v1/configmaps" }, () => undefined);
    while (collection.lastSeq < 2) await sleep(5);

    const once = collection.snapshotBytes();
    expect(collection.snapshotBytes().bytes).toBe(once.bytes);
    expect(JSON.parse(new TextDecoder().decode(once.bytes))).toEqual(collection.snapshot().items);
    // Two later viewers: the same objects, both from those bytes (one UTF-8 name included).
    const stringify = vi.spyOn(JSON, "stringify");
    const [second, third] = [await opened(cache, null, "e"), await opened(cache, null, "e")];
    const [s2, s3] = [await second.next(), await third.next()];
    // Nothing was serialized again for them.
    expect(stringify).not.toHaveBeenCalled();
    stringify.mockRestore();
    expect(s2.event).toBe("snapshot");
    expect(names(s2).sort()).toEqual(["a", "ü-ünïcode"]);
    expect(s3.data).toEqual(s2.data);
    expect(collection.snapshotBytes().bytes).toBe(once.bytes);

    // A change is a new version: new bytes, with the change in them.
    push({ type: "DELETED", object: cm("a", "4") });
    while (collection.lastSeq < 3) await sleep(5);
    const after = collection.snapshotBytes();
    expect(after.bytes).not.toBe(once.bytes);
    expect(after.seq).toBe(3);
    const fourth = await opened(cache, null, "e");
    expect(names(await fourth.next())).toEqual(["ü-ünïcode"]);
    for (const v of [viewer, second, third, fourth]) v.close();
    leave();
    cache.stopAll();
  });
});
