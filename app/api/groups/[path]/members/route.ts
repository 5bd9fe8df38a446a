// POST /api/groups/:path/members: add a member with a role (owners only).
import { db } from "@/lib/db/client";
import { addGroupMember } from "@/lib/groups";
import { readJsonBody, withActor } from "@/lib/api-auth";

export const POST = withActor(async (user, req, ctx: { params: Promise<{ path: string }> }) => {
  const { path } = await ctx.params;
  const member = await addGroupMember(db(), user, path, await readJsonBody(req));
  return Response.json({ member: { userId: member.userId, role: member.role } }, { status: 201 });
});
