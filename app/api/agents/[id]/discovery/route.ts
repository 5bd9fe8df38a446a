// GET /api/agents/:id/discovery: the resources the agent's cluster serves under /apis that the viewer
// can list and watch, as the viewer's identity in that cluster (lib/cluster-cache/discovery.ts).
import { discoverResources } from "@/lib/cluster-cache";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const { impersonation } = await viewerIdentity(db(), user, id);
  const resources = await discoverResources(tunnelClient(), id, impersonation, req.signal);
  return Response.json({ resources }, { headers: { "cache-control": "no-store" } });
});
