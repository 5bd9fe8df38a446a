// The web process's Prometheus registry and its scrape endpoint, closed unless an operator sets
// TETHER_WEB_METRICS_TOKEN. Capabilities register their own metrics here; this folder knows none of them.
import { timingSafeEqual } from "node:crypto";
import { Registry, collectDefaultMetrics } from "prom-client";

const g = globalThis as unknown as { tetherWebMetrics?: Registry };

export function webMetricsRegistry(): Registry {
  if (!g.tetherWebMetrics) {
    g.tetherWebMetrics = new Registry();
    collectDefaultMetrics({ register: g.tetherWebMetrics });
  }
  return g.tetherWebMetrics;
}

/** 404 when no token is configured (the endpoint does not exist), 401 for a wrong bearer token. */
export async function metricsResponse(
  req: Request,
  registry: Registry,
  token = process.env.TETHER_WEB_METRICS_TOKEN,
): Promise<Response> {
  if (!token) return new Response("Not found", { status: 404 });
  const given = Buffer.from(/^Bearer (.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1] ?? "");
  const want = Buffer.from(token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    return new Response("Unauthorized", { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
