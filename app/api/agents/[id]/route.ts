// GET /api/agents/:id: one agent with its live status (polled by the agent page). DELETE: delete the agent
// (maintainers and owners; the body repeats its name, { "confirm": "<name>" }): its tokens stop working and
// kas closes its tunnels at its next token re-check.
import { agentView, deleteAgent } from "@/lib/agents";
import { kasStatuses } from "@/lib/kas-bridge";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  return Response.json(await agentView(db(), user, id, kasStatuses), { headers: { "cache-control": "no-store" } });
});

export const DELETE = withActor(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  return Response.json({ deleted: await deleteAgent(db(), user, id, await readJsonBody(req)) });
});
