// GET /api/agents/:id/live?path=<collection>&path=…: server-sent events with a snapshot and then the
// changes of each collection, through the shared cluster cache (lib/cluster-cache/sse.ts).
import { cacheEpoch, clusterCache, viewerIdentity } from "@/lib/cluster-cache/web";
import { sessionBoundSignal } from "@/lib/auth/session-watch";
import { liveQuery, liveStream } from "@/lib/cluster-cache";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const paths = liveQuery.safeParse(new URL(req.url).searchParams.getAll("path"));
  if (!paths.success) return errorResponse(400, paths.error.issues[0]?.message ?? "invalid collections");
  const { impersonation } = await viewerIdentity(db(), user, id);
  const stream = await liveStream(
    clusterCache(),
    paths.data.map((path) => ({ agentId: id, path, impersonation })),
    // EventSource sends Last-Event-ID itself on its own retries; the page's backoff passes it in the query.
    req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("lastEventId"),
    cacheEpoch(),
    // Blocking the user or ending their sessions closes the stream too (its retry then gets 401).
    await sessionBoundSignal(db(), user.id, req.signal),
  );
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
});
