// The cache's metrics follow what it does (collections, viewers, objects, events, relists after 410),
// and the scrape endpoint is closed unless a token is configured.
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { metricsResponse } from "@/lib/metrics";
import { ClusterCache } from "./cache";
import { registerCacheMetrics } from "./metrics";
import { cm, scripted } from "./scripted-source";

async function values(registry: Registry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of await registry.getMetricsAsJSON()) out[m.name] = (m.values[0]?.value as number | undefined) ?? 0;
  return out;
}

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("cluster cache metrics", () => {
  it("count collections, viewers, objects, events and relists, and totals survive a stopped collection", async () => {
    const src = scripted(
      [
        [cm("a", "1"), cm("b", "1")],
        [cm("b", "2"), cm("c", "1")],
      ],
      ["gone", []],
    );
    const cache = new ClusterCache(src as never, 0);
    const registry = new Registry();
    registerCacheMetrics(registry, () => cache.stats());
    expect(await values(registry)).toMatchObject({
      tether_web_cache_collections: 0,
      tether_web_cache_viewers: 0,
      tether_web_cache_events_total: 0,
    });

    const key = { agentId: "x", path: "/api/v1/configmaps" };
    const seen: unknown[] = [];
    const one = await cache.view(key, (e) => seen.push(e));
    const two = await cache.view(key, () => undefined);
    await until(() => seen.length >= 3);
    expect(await values(registry)).toMatchObject({
      tether_web_cache_collections: 1,
      tether_web_cache_viewers: 2,
      tether_web_cache_objects: 2,
      tether_web_cache_events_total: 3,
      tether_web_cache_relists_total: 1,
    });
    one.leave();
    two.leave();
    await until(() => cache.stats().collections === 0);
    expect(await values(registry)).toMatchObject({
      tether_web_cache_collections: 0,
      tether_web_cache_viewers: 0,
      tether_web_cache_objects: 0,
      tether_web_cache_events_total: 3,
      tether_web_cache_relists_total: 1,
    });
  });

  it("GET /api/metrics: 404 without a configured token, 401 with a wrong one, the text format with the right one", async () => {
    const registry = new Registry();
    registerCacheMetrics(registry, () => undefined);
    const req = (auth?: string) =>
      new Request("http://web/api/metrics", { headers: auth ? { authorization: auth } : {} });
    expect((await metricsResponse(req("Bearer s3cret"), registry, undefined)).status).toBe(404);
    expect((await metricsResponse(req(), registry, "s3cret")).status).toBe(401);
    expect((await metricsResponse(req("Bearer nope"), registry, "s3cret")).status).toBe(401);
    const ok = await metricsResponse(req("Bearer s3cret"), registry, "s3cret");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^tether_web_cache_collections 0$/m);
  });
});
