// DELETE /api/admin/invites/:id: an administrator revokes an invite link that was not used yet (audited);
// the link is refused on the sign-up page from then on. Anyone else: not found.
import { withSession } from "@/lib/api-auth";
import { clientAddress } from "@/lib/auth/sign-in";
import { revokeInvite } from "@/lib/auth/sign-up-policy";
import { db } from "@/lib/db/client";

export const DELETE = withSession(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  await revokeInvite(db(), user, id, clientAddress(req.headers));
  return Response.json({ ok: true });
});
