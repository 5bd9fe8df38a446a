// The cluster cache: one WatchedCollection per (agent, identity, resource path), shared by every viewer
// with that key and stopped a short while after its last viewer leaves. Viewers with different
// identities get different collections, so they never see each other's objects.
import type { TunnelClient } from "@/lib/tunnel-client";
import { WatchedCollection, type CollectionKey, type CollectionListener } from "./collection";
import type { KubeObject, UpstreamState } from "./wire";

type Client = Pick<TunnelClient, "agentJson" | "agentWatch">;

export interface CacheStats {
  collections: number;
  viewers: number;
  objects: number;
  /** Since this cache was made, counting collections already stopped. */
  eventsTotal: number;
  relistsTotal: number;
}

export class ClusterCache {
  private readonly collections = new Map<string, { c: WatchedCollection; stopTimer: NodeJS.Timeout | null }>();
  /** Counts of collections already stopped, so totals never go down. */
  private retired = { eventsTotal: 0, relistsTotal: 0 };

  constructor(
    private readonly client: Client,
    private readonly lingerMs = 30_000,
  ) {}

  static keyString(k: CollectionKey): string {
    const who = k.impersonation ? `${k.impersonation.user}|${[...k.impersonation.groups].sort().join(",")}` : "agent";
    return `${k.agentId}\u0000${who}\u0000${k.path}`;
  }

  /** Joins (or starts) the collection for `key`; the returned function leaves it. */
  async view(
    key: CollectionKey,
    listener: CollectionListener,
    onState?: (state: UpstreamState) => void,
  ): Promise<{ collection: WatchedCollection; leave: () => void }> {
    const id = ClusterCache.keyString(key);
    let entry = this.collections.get(id);
    if (!entry) {
      entry = { c: new WatchedCollection(this.client, key), stopTimer: null };
      this.collections.set(id, entry);
    }
    if (entry.stopTimer) {
      clearTimeout(entry.stopTimer);
      entry.stopTimer = null;
    }
    const unsubscribe = entry.c.subscribe(listener, onState);
    const current = entry;
    try {
      await current.c.start();
    } catch (e) {
      unsubscribe();
      if (current.c.viewers === 0) this.remove(id, current.c);
      throw e;
    }
    let left = false;
    return {
      collection: current.c,
      leave: () => {
        if (left) return;
        left = true;
        unsubscribe();
        if (current.c.viewers > 0) return;
        current.stopTimer = setTimeout(() => {
          if (current.c.viewers > 0) return;
          this.remove(id, current.c);
        }, this.lingerMs);
        current.stopTimer.unref?.();
      },
    };
  }

  /**
   * What a collection holds now when it is already listed, its watch flowing and not refused (a warm cache:
   * another viewer has it open, or one left it within the linger time); null otherwise. Never starts one:
   * the cluster page renders its first rows from it on the server (live-view's seed) and waits for nothing.
   */
  peek(key: CollectionKey): KubeObject[] | null {
    const entry = this.collections.get(ClusterCache.keyString(key));
    if (!entry || !entry.c.listed || entry.c.error || entry.c.state !== "live") return null;
    return [...entry.c.objects.values()];
  }

  private remove(id: string, c: WatchedCollection): void {
    c.stop();
    this.retired.eventsTotal += c.eventsTotal;
    this.retired.relistsTotal += c.relists;
    this.collections.delete(id);
  }

  stats(): CacheStats {
    let viewers = 0;
    let objects = 0;
    let { eventsTotal, relistsTotal } = this.retired;
    for (const { c } of this.collections.values()) {
      viewers += c.viewers;
      objects += c.objects.size;
      eventsTotal += c.eventsTotal;
      relistsTotal += c.relists;
    }
    return { collections: this.collections.size, viewers, objects, eventsTotal, relistsTotal };
  }

  stopAll(): void {
    for (const [id, { c, stopTimer }] of this.collections) {
      if (stopTimer) clearTimeout(stopTimer);
      this.remove(id, c);
    }
  }
}
