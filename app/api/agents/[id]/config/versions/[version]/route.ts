// GET /api/agents/:id/config/versions/:version: one older configuration version, read-only.
import { agentConfigVersion } from "@/lib/agent-config";
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: { params: Promise<{ id: string; version: string }> }) => {
  const { id, version } = await ctx.params;
  return Response.json(await agentConfigVersion(db(), user, id, version), { headers: { "cache-control": "no-store" } });
});
