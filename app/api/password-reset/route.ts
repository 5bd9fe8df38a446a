// POST /api/password-reset {email}: no sign-in. Mails a link to set a new password when the e-mail is an
// account's with a password; the answer (202) is the same for every e-mail and comes before the mail goes.
// 503 when the installation cannot send e-mail (TETHER_SMTP_URL unset).
import { smtpConfig, smtpMailer } from "@/lib/auth/mail";
import { requestPasswordReset, RESET_REQUESTED, resetLimitsFor } from "@/lib/auth/password-reset";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { errorResponse, readJsonBody } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";
import { publicUrls } from "@/lib/public-urls";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    const publicUrl = publicUrls().web.url;
    const config = smtpConfig(process.env, publicUrl);
    if (!config)
      return errorResponse(
        503,
        "This installation cannot send e-mail (no SMTP server is configured): ask an administrator to set a new password for you",
      );
    await requestPasswordReset(db(), await readJsonBody(req, 4 * 1024), {
      mailer: smtpMailer(config),
      limits: resetLimitsFor(db()),
      publicUrl,
      ip: clientAddress(req.headers),
    });
    return Response.json({ message: RESET_REQUESTED }, { status: 202, headers: { "cache-control": "no-store" } });
  } catch (e) {
    return toResponse(e);
  }
}
