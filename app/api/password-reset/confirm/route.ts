// POST /api/password-reset/confirm {token, newPassword}: no sign-in; the token comes from the e-mailed link.
// Sets the new password and ends every session of the account; 400 naming `token` when the link no longer works.
import { completePasswordReset } from "@/lib/auth/password-reset";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    await completePasswordReset(db(), await readJsonBody(req, 4 * 1024), clientAddress(req.headers));
    return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return toResponse(e);
  }
}
