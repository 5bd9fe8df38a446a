// GET /api/agents/:id: one agent with its live status (polled by the agent page).
import { agentView } from "@/lib/agents";
import { kasStatuses } from "@/lib/kas-bridge";
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  return Response.json(await agentView(db(), user, id, kasStatuses), { headers: { "cache-control": "no-store" } });
});
