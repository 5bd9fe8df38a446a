// How liveStream paces frames, with a hand-fed watch in place of the tunnel: a change on a quiet
// stream goes out at once; a storm is held to about one frame per FLUSH_MS and loses nothing.
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "@/lib/tunnel-client";
import { ClusterCache } from "./cache";
import { cm } from "./scripted-source";
import { FLUSH_BURST, FLUSH_MS, liveStream } from "./sse";
import { readFrames, type KubeObject } from "./wire";

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
