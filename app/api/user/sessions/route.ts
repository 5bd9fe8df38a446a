// DELETE /api/user/sessions: sign out everywhere, this browser included.
import { revokeSessions } from "@/lib/auth/account";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { withSession } from "@/lib/api-auth";

export const DELETE = withSession(async (user, req) => {
  await revokeSessions(db(), user, user.id, clientAddress(req.headers));
  return Response.json({ ok: true });
});
