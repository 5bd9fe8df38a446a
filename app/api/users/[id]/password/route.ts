// POST /api/users/:id/password {newPassword}: an administrator sets a user's password, which ends the
// user's sessions. Anyone else: not found.
import { setPasswordAsAdmin } from "@/lib/auth/account";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { readJsonBody, withSession } from "@/lib/api-auth";

export const POST = withSession(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  await setPasswordAsAdmin(db(), user, id, await readJsonBody(req, 4 * 1024), clientAddress(req.headers));
  return Response.json({ ok: true });
});
