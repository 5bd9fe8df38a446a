// GET /api/agents/:id/logs?namespace=&pod=&container=&follow=&previous=&timestamps=&tailLines=&sinceSeconds=:
// a container's log as plain text, streamed from the cluster as the viewer's identity (lib/pod-logs).
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { refusal } from "@/lib/cluster-actions";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withActor } from "@/lib/api-auth";
import { logsPath, logsQuery } from "@/lib/pod-logs";
import { tunnelClient } from "@/lib/tunnel-client/web";
import { UpstreamStatusError } from "@/lib/tunnel-client";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const q = logsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success)
    return errorResponse(
      400,
      q.error.issues[0]?.message ?? "invalid log request",
      String(q.error.issues[0]?.path[0] ?? ""),
    );
  const { impersonation } = await viewerIdentity(db(), user, id);
  const res = await tunnelClient().agentFetch(id, {
    path: logsPath(q.data),
    headers: { accept: "text/plain, application/json" },
    impersonation,
    signal: req.signal,
  });
  if (res.status >= 400) throw refusal(new UpstreamStatusError(res.status, await res.text()));
  return new Response(res.body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      // no-transform: compression would hold a followed log's lines back until a buffer fills.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff",
    },
  });
});
