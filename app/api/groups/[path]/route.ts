// PATCH /api/groups/:path: rename, new path or description (owners). DELETE: delete the group with its
// projects and agents; the body repeats the group's path ({ "confirm": "<path>" }).
import { db } from "@/lib/db/client";
import { deleteGroup, updateGroup } from "@/lib/groups";
import { readJsonBody, withActor } from "@/lib/api-auth";

type Ctx = { params: Promise<{ path: string }> };

export const PATCH = withActor(async (user, req, ctx: Ctx) => {
  const { path } = await ctx.params;
  const group = await updateGroup(db(), user, path, await readJsonBody(req));
  return Response.json({ group: { id: group.id, path: group.path, name: group.name, description: group.description } });
});

export const DELETE = withActor(async (user, req, ctx: Ctx) => {
  const { path } = await ctx.params;
  const deleted = await deleteGroup(db(), user, path, await readJsonBody(req));
  return Response.json({ deleted });
});
