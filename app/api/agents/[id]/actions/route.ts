// GET /api/agents/:id/actions?path=&namespace=&name=: the actions the cluster would let the viewer take on
// an object (SelfSubjectAccessReview as the viewer). POST the same with {action, replicas?}: take it, as the
// viewer, audited (lib/cluster-actions).
import { actionRequest, actionTarget, allowedActions, runAction } from "@/lib/cluster-actions";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { readJsonBody, withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const q = actionTarget.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) return errorResponse(400, q.error.issues[0]?.message ?? "invalid object");
  const { impersonation } = await viewerIdentity(db(), user, id);
  const allowed = await allowedActions(tunnelClient(), id, q.data, impersonation, req.signal);
  return Response.json({ allowed }, { headers: { "cache-control": "no-store" } });
});

export const POST = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const body = actionRequest.safeParse(await readJsonBody(req));
  if (!body.success)
    return errorResponse(
      400,
      body.error.issues[0]?.message ?? "invalid action",
      String(body.error.issues[0]?.path[0] ?? ""),
    );
  const { impersonation } = await viewerIdentity(db(), user, id);
  const done = await runAction(
    tunnelClient(),
    db(),
    { userId: user.id, ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() },
    id,
    body.data,
    impersonation,
  );
  return Response.json(done);
});
