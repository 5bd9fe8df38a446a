// GET /api/agents/:id/flux: which Flux kinds the agent's cluster serves, at which version, as the viewer
// sees them (lib/flux-view). No Flux CRDs: `served` is empty and every kind is `missing`.
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { discoverFlux } from "@/lib/flux-view";
import { withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const { impersonation } = await viewerIdentity(db(), user, id);
  const found = await discoverFlux(tunnelClient(), id, impersonation, req.signal);
  return Response.json(found, { headers: { "cache-control": "no-store" } });
});
