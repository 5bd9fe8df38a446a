// POST /api/projects/:id/transfer: move the project to another group or the caller's own namespace
// ({ "namespace": "<path>" }); its agents, tokens and history go with it.
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";
import { transferProject } from "@/lib/projects";

export const POST = withActor(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const p = await transferProject(db(), user, id, await readJsonBody(req));
  return Response.json({ project: { id: p.id, fullPath: p.fullPath } });
});
