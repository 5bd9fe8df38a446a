// GET /api/projects/:id/access-tokens: the project's access tokens (never their values), for its maintainers.
// POST {name, role, scopes, expiresInDays}: make one (maintainers, browser session only: a token cannot mint
// tokens); the answer holds the token in clear text, the only time it is shown.
import { readJsonBody, withActor, withSession } from "@/lib/api-auth";
import { db } from "@/lib/db/client";
import { createProjectToken, projectTokensView } from "@/lib/project-tokens";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };
const noStore = { "cache-control": "no-store" };

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await projectTokensView(db(), user, id), { headers: noStore });
});

export const POST = withSession(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const created = await createProjectToken(db(), user, id, await readJsonBody(req));
  return Response.json(created, { status: 201, headers: noStore });
});
