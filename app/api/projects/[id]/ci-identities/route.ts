// GET /api/projects/:id/ci-identities: the CI identities the project trusts (anyone who sees the project).
// POST {name, issuer, audience, conditions}: trust one more (maintainers).
import { createCiIdentity, listCiIdentities } from "@/lib/ci-oidc";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json({ identities: await listCiIdentities(db(), user, id) });
});

export const POST = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await createCiIdentity(db(), user, id, await readJsonBody(req)), { status: 201 });
});
