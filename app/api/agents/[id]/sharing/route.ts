// GET /api/agents/:id/sharing: who the agent is shared with (ci_access and user_access entries).
// POST: share it with a project or group ({ access, targetType, target, accessAs, defaultNamespace }).
// DELETE: stop sharing ({ access, targetType, target }). Each change is a new configuration version.
import { addShare, removeShare, sharingView } from "@/lib/agent-config";
import { db } from "@/lib/db/client";
import { readJsonBody, withUser } from "@/lib/http/handler";

type Ctx = { params: Promise<{ id: string }> };

export const dynamic = "force-dynamic";

const LIMIT = 16 * 1024;

export const GET = withUser(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await sharingView(db(), user, id), { headers: { "cache-control": "no-store" } });
});

export const POST = withUser(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await addShare(db(), user, id, await readJsonBody(req, LIMIT)), { status: 201 });
});

export const DELETE = withUser(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await removeShare(db(), user, id, await readJsonBody(req, LIMIT)));
});
