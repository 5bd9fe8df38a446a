// PATCH /api/projects/:id: rename, new path or description (maintainers and owners). DELETE: delete the
// project with its agents; the body repeats its full path ({ "confirm": "<namespace>/<path>" }).
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";
import { deleteProject, updateProject } from "@/lib/projects";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const p = await updateProject(db(), user, id, await readJsonBody(req));
  return Response.json({ project: { id: p.id, fullPath: p.fullPath, name: p.name, description: p.description } });
});

export const DELETE = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json({ deleted: await deleteProject(db(), user, id, await readJsonBody(req)) });
});
