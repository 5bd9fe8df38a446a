// GET /api/agents/:id: one agent with its live status (polled by the agent page). DELETE: delete the agent
// (maintainers and owners; the body repeats its name, { "confirm": "<name>" }): its tokens stop working and
// every kas closes its tunnels at once (or at its next token re-check if kas cannot be reached).
import { agentView, deleteAgent } from "@/lib/agents";
import { closeAgentTunnelsEverywhere, kasStatuses } from "@/lib/kas-bridge";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  return Response.json(await agentView(db(), user, id, kasStatuses), { headers: { "cache-control": "no-store" } });
});

export const DELETE = withActor(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const deleted = await deleteAgent(db(), user, id, await readJsonBody(req));
  const tunnelsClosed = await closeAgentTunnelsEverywhere(id, "deleted");
  return Response.json({ deleted, tunnelsClosed });
});
