// GET /api/agents/:id/metrics?of=pods|nodes&namespace=: CPU and memory of the cluster's pods (of one
// namespace, or all) or nodes from metrics.k8s.io, as the viewer's identity sees them, or why there are
// none (lib/cluster-metrics). Read at each request; the page polls.
import { metricsQuery, readMetrics } from "@/lib/cluster-metrics";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const q = metricsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success)
    return errorResponse(
      400,
      q.error.issues[0]?.message ?? "invalid metrics request",
      String(q.error.issues[0]?.path[0] ?? ""),
    );
  if (q.data.of === "nodes" && q.data.namespace) return errorResponse(400, "nodes have no namespace", "namespace");
  const { impersonation } = await viewerIdentity(db(), user, id);
  const answer = await readMetrics(tunnelClient(), id, q.data, impersonation, req.signal);
  return Response.json(answer, { headers: { "cache-control": "no-store" } });
});
