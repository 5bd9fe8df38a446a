// POST /api/user/password {currentPassword, newPassword} (browser session only): the signed-in user changes their password;
// every session of theirs ends (the browser that asked signs in again with the new password).
import { changePassword } from "@/lib/auth/account";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { readJsonBody, withSession } from "@/lib/api-auth";

export const POST = withSession(async (user, req) => {
  await changePassword(db(), user, await readJsonBody(req, 4 * 1024), clientAddress(req.headers));
  return Response.json({ ok: true });
});
