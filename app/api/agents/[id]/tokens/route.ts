// GET /api/agents/:id/tokens: the agent's tokens (never their values). POST: create one; the answer
// holds the token in clear text with install instructions, the only time it is ever shown.
import { createAgentToken, installInstructions, listAgentTokens } from "@/lib/agents";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

type Ctx = { params: Promise<{ id: string }> };

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await listAgentTokens(db(), user, id), { headers: { "cache-control": "no-store" } });
});

export const POST = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const body = await readJsonBody(req);
  const created = await createAgentToken(db(), user, id, body);
  const agent = await db().agent.findUniqueOrThrow({ where: { id }, select: { name: true } });
  const install = await installInstructions(agent.name, created.token);
  return Response.json(
    { id: created.id, token: created.token, install },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
