// DELETE /api/users/:id/sessions: an administrator ends every session of a user. Anyone else: not found.
import { revokeSessions } from "@/lib/auth/account";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { withSession } from "@/lib/api-auth";

export const DELETE = withSession(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  await revokeSessions(db(), user, id, clientAddress(req.headers));
  return Response.json({ ok: true });
});
