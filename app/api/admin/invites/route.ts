// POST /api/admin/invites {expiresInDays?}: an administrator creates a single-use invite link, shown
// once (only its hash is stored). Anyone else: not found.
import { clientAddress } from "@/lib/auth/sign-in";
import { createInvite } from "@/lib/auth/sign-up-policy";
import { db } from "@/lib/db/client";
import { readJsonBody, withSession } from "@/lib/api-auth";
import { publicUrls } from "@/lib/public-urls";

export const POST = withSession(async (user, req) => {
  const invite = await createInvite(db(), user, await readJsonBody(req, 1024), clientAddress(req.headers));
  const url = `${publicUrls().web.url.replace(/\/$/, "")}/sign-up?invite=${encodeURIComponent(invite.token)}`;
  return Response.json({ url, expiresAt: invite.expiresAt.toISOString() }, { status: 201 });
});
