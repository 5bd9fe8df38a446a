// GET /api/agents/:id/sharing: who the agent is shared with (ci_access and user_access entries) and how each block's grants act.
// POST: share it with a project or group ({ access, targetType, target, accessAs?, defaultNamespace }); never changes how other grants act.
// PUT: change how every grant of a block acts ({ block, accessAs }), a step of its own.
// DELETE: stop sharing ({ access, targetType, target }). Each change is a new configuration version.
import { addShare, removeShare, setSharingAccessAs, sharingView } from "@/lib/agent-config";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

type Ctx = { params: Promise<{ id: string }> };

export const dynamic = "force-dynamic";

const LIMIT = 16 * 1024;

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await sharingView(db(), user, id), { headers: { "cache-control": "no-store" } });
});

export const POST = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await addShare(db(), user, id, await readJsonBody(req, LIMIT)), { status: 201 });
});

export const PUT = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await setSharingAccessAs(db(), user, id, await readJsonBody(req, LIMIT)));
});

export const DELETE = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await removeShare(db(), user, id, await readJsonBody(req, LIMIT)));
});
