// GET /api/projects/:id/agents: the project's agents with their live status (polled by the clusters
// page). POST: register an agent (maintainers and owners).
import { agentPath, listProjectAgents, registerAgent } from "@/lib/agents";
import { kasStatuses } from "@/lib/kas-bridge";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

type Ctx = { params: Promise<{ id: string }> };

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await listProjectAgents(db(), user, id, kasStatuses), {
    headers: { "cache-control": "no-store" },
  });
});

export const POST = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const body = await readJsonBody(req);
  const agent = await registerAgent(db(), user, id, body);
  const project = await db().project.findUniqueOrThrow({ where: { id }, select: { fullPath: true } });
  return Response.json(
    { agent: { id: agent.id, name: agent.name, href: agentPath(project.fullPath, agent.name) } },
    { status: 201 },
  );
});
