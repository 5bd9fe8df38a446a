// For unit tests only: a source with the two calls a collection makes (LIST, WATCH), answering from a
// script, so the cache's own logic can be tested without a tunnel.
import { UpstreamStatusError, type WatchEvent } from "@/lib/tunnel-client";
import type { KubeObject } from "./wire";

export const cm = (name: string, rv: string): KubeObject => ({
  metadata: { name, namespace: "ns", resourceVersion: rv, managedFields: [{ manager: "x" }] },
});

export function scripted(lists: KubeObject[][], watches: (WatchEvent<KubeObject>[] | "gone")[]) {
  let l = 0;
  let w = 0;
  /** The paths the collection LISTed, in order. */
  const listed: string[] = [];
  return {
    listed,
    async agentJson<T>(_agent: string, req: { path: string }): Promise<T> {
      listed.push(req.path);
      const items = lists[Math.min(l++, lists.length - 1)]!;
      return { metadata: { resourceVersion: String(100 + l) }, items } as T;
    },
    async *agentWatch<T>(_agent: string, _path: string, opts: { signal?: AbortSignal }): AsyncGenerator<WatchEvent<T>> {
      const step = watches[w++];
      if (step === "gone") throw new UpstreamStatusError(410, "too old resource version");
      for (const e of step ?? []) yield e as WatchEvent<T>;
      await new Promise<void>((resolve) => opts.signal?.addEventListener("abort", () => resolve(), { once: true }));
    },
  };
}
