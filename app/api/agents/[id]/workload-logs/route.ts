// GET /api/agents/:id/workload-logs?namespace=&kind=&name=&allContainers=&follow=&previous=&timestamps=&tailLines=&sinceSeconds=:
// the logs of a workload's pods (at most 10 at once), interleaved as they arrive, as NDJSON events, read from
// the cluster as the viewer's identity (lib/pod-logs); following, pods that come later are followed too.
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { refusal } from "@/lib/cluster-actions";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withActor } from "@/lib/api-auth";
import {
  interleaveLogs,
  openPodLog,
  watchWorkloadPods,
  WorkloadWithoutSelector,
  workloadLogSources,
  workloadLogsQuery,
} from "@/lib/pod-logs";
import { tunnelClient } from "@/lib/tunnel-client/web";
import { UpstreamStatusError } from "@/lib/tunnel-client";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const q = workloadLogsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success)
    return errorResponse(
      400,
      q.error.issues[0]?.message ?? "invalid log request",
      String(q.error.issues[0]?.path[0] ?? ""),
    );
  const { impersonation } = await viewerIdentity(db(), user, id);
  const client = tunnelClient();
  let found;
  try {
    found = await workloadLogSources(client, id, q.data, impersonation, req.signal);
  } catch (e) {
    if (e instanceof UpstreamStatusError) throw refusal(e);
    if (e instanceof WorkloadWithoutSelector) return errorResponse(400, e.message);
    throw e;
  }
  const following = q.data.follow && !q.data.previous;
  const body = interleaveLogs(
    found.sources,
    found,
    openPodLog(client, id, q.data, impersonation),
    req.signal,
    following
      ? {
          pods: found.list.items,
          allContainers: q.data.allContainers,
          changes: (signal) =>
            watchWorkloadPods(
              client,
              id,
              q.data.namespace,
              found.selector,
              found.list.resourceVersion,
              impersonation,
              signal,
            ),
        }
      : undefined,
  );
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      // no-transform: compression would hold a followed log's lines back until a buffer fills.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff",
    },
  });
});
