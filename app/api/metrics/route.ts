// GET /api/metrics: Prometheus scrape of the web process, bearer token TETHER_WEB_METRICS_TOKEN (404 when unset).
import { withCacheMetrics } from "@/lib/cluster-cache/web";
import { metricsResponse, webMetricsRegistry } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  return metricsResponse(req, withCacheMetrics(webMetricsRegistry()));
}
