// GET /api/agents/:id/object?path=<collection>&namespace=&name=: one object of a collection the live view
// shows, whole (tables get summaries of big kinds), as the viewer's identity sees it; Secrets with key names only.
import { z } from "zod";
import { collectionPath, forViewers, objectName, objectPath, type KubeObject } from "@/lib/cluster-cache";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withUser } from "@/lib/http/handler";
import { TunnelError, UpstreamStatusError } from "@/lib/tunnel-client";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

const query = z.object({ path: collectionPath, namespace: objectName.optional(), name: objectName });

type Ctx = { params: Promise<{ id: string }> };

export const GET = withUser(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const q = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) return errorResponse(400, q.error.issues[0]?.message ?? "invalid object");
  const { impersonation } = await viewerIdentity(db(), user, id);
  try {
    const object = await tunnelClient().agentJson<KubeObject>(id, { path: objectPath(q.data.path, q.data.namespace, q.data.name), impersonation, signal: req.signal });
    return Response.json({ object: forViewers(object, /\/secrets$/.test(q.data.path)) }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (e instanceof UpstreamStatusError) return errorResponse(e.status === 404 ? 404 : e.status === 403 ? 403 : 502, e.status === 404 ? "the object is gone" : `the cluster refused: ${e.message}`);
    if (e instanceof TunnelError) return errorResponse(503, e.message);
    throw e;
  }
});
