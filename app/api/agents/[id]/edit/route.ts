// POST /api/agents/:id/edit {path, namespace?, name, yaml, dryRun}: replace an object with edited YAML, as
// the viewer. dryRun true ("Review") changes nothing and answers the live object and what the cluster would
// store, as YAML, for the diff; false ("Apply") sends it for real, audited (lib/cluster-actions).
import { editRequest, runEdit } from "@/lib/cluster-actions";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { readJsonBody, withActor } from "@/lib/api-auth";
import { tunnelClient } from "@/lib/tunnel-client/web";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const POST = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  // The edited text (at most MAX_EDIT_BYTES) escaped as JSON, under the proxy's 1 MB body limit.
  const body = editRequest.safeParse(await readJsonBody(req, 960 * 1024));
  if (!body.success)
    return errorResponse(
      400,
      body.error.issues[0]?.message ?? "invalid edit",
      String(body.error.issues[0]?.path[0] ?? ""),
    );
  const { impersonation } = await viewerIdentity(db(), user, id);
  const answer = await runEdit(
    tunnelClient(),
    db(),
    { userId: user.id, ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() },
    id,
    body.data,
    impersonation,
    req.signal,
  );
  return Response.json(answer, { headers: { "cache-control": "no-store" } });
});
