// GET /api/user/tokens: the signed-in user's personal access tokens (never their values). POST: create
// one {name, scopes, expiresInDays} (browser session only: a token cannot mint tokens); the answer holds the token in clear text, the only time it is shown.
import { db } from "@/lib/db/client";
import { readJsonBody, withActor, withSession } from "@/lib/api-auth";
import { createPersonalAccessToken } from "@/lib/tokens/access-tokens";
import { personalTokensView } from "@/lib/tokens/personal-tokens-view";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

export const GET = withActor(async (user) => Response.json(await personalTokensView(db(), user), { headers: noStore }));

export const POST = withSession(async (user, req) => {
  const body = await readJsonBody(req);
  const created = await createPersonalAccessToken(db(), user, body);
  return Response.json(
    { id: created.id, token: created.token, expiresAt: created.expiresAt.toISOString() },
    { status: 201, headers: noStore },
  );
});
