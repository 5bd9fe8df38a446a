// GET /api/agents/:id/object?path=<collection>&namespace=&name=: one object of a collection the live view
// shows, whole (tables get summaries of big kinds), as the viewer's identity sees it; Secrets with key names only.
import { objectQuery, readObject } from "@/lib/cluster-cache";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const q = objectQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) return errorResponse(400, q.error.issues[0]?.message ?? "invalid object");
  const { impersonation } = await viewerIdentity(db(), user, id);
  const object = await readObject(tunnelClient(), id, q.data, impersonation, req.signal);
  return Response.json({ object }, { headers: { "cache-control": "no-store" } });
});
