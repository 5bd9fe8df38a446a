// GET /api/agents/:id/flux/summary: how many Flux objects the viewer sees in the agent's cluster and how
// many are not Ready (the project page's GitOps summary), or {installed: false}.
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { summarizeFlux } from "@/lib/flux-view";
import { withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const { impersonation } = await viewerIdentity(db(), user, id);
  const summary = await summarizeFlux(tunnelClient(), id, impersonation, req.signal);
  return Response.json(summary, { headers: { "cache-control": "no-store" } });
});
