// The cluster cache's Prometheus metrics, read from its stats when scraped (no bookkeeping on the hot
// path). Totals are counters: they only grow, also when collections stop.
import { Counter, Gauge, type Registry } from "prom-client";
import type { CacheStats } from "./cache";

export function registerCacheMetrics(registry: Registry, stats: () => CacheStats | undefined): void {
  const gauge = (name: string, help: string, pick: (s: CacheStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(stats() ?? empty));
      },
    });
  const counter = (name: string, help: string, pick: (s: CacheStats) => number) => {
    let reported = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = pick(stats() ?? empty);
        if (now > reported) this.inc(now - reported);
        reported = Math.max(reported, now);
      },
    });
  };
  gauge("tether_web_cache_collections", "Watched collections (one upstream LIST+WATCH each)", (s) => s.collections);
  gauge("tether_web_cache_viewers", "Viewers joined to a watched collection", (s) => s.viewers);
  gauge("tether_web_cache_objects", "Objects held by the cache", (s) => s.objects);
  counter(
    "tether_web_cache_events_total",
    "Added, modified and deleted events passed to viewers",
    (s) => s.eventsTotal,
  );
  counter("tether_web_cache_relists_total", "Relists after the API server answered 410 Gone", (s) => s.relistsTotal);
}

const empty: CacheStats = { collections: 0, viewers: 0, objects: 0, eventsTotal: 0, relistsTotal: 0 };
