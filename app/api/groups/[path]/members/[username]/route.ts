// PATCH /api/groups/:path/members/:username: change the member's role (owners; never below the last
// owner). DELETE: remove the member (owners), or leave the group (the member themselves).
import { db } from "@/lib/db/client";
import { changeMemberRole, removeGroupMember } from "@/lib/groups";
import { readJsonBody, withActor } from "@/lib/api-auth";

type Ctx = { params: Promise<{ path: string; username: string }> };

export const PATCH = withActor(async (user, req, ctx: Ctx) => {
  const { path, username } = await ctx.params;
  const member = await changeMemberRole(db(), user, path, decodeURIComponent(username), await readJsonBody(req));
  return Response.json({ member: { userId: member.userId, role: member.role } });
});

export const DELETE = withActor(async (user, _req, ctx: Ctx) => {
  const { path, username } = await ctx.params;
  return Response.json(await removeGroupMember(db(), user, path, decodeURIComponent(username)));
});
