// GET /api/agents/:id/config: the configuration in force (YAML and version) and the version history.
// PUT: save a new version ({ yaml, baseVersion }); a validation error names the line, and a save made
// on an outdated version is refused (409) so that nobody overwrites a change they have not seen. After a
// save, kas is told, so the agent's configuration long poll hands it the new version at once.
import { MAX_CONFIG_BYTES, agentConfigView, configSaveSchema, saveAgentConfig } from "@/lib/agent-config";
import { db } from "@/lib/db/client";
import { notifyAgentConfigChanged } from "@/lib/kas-bridge";
import { invalidFrom } from "@/lib/errors";
import { readJsonBody, withActor } from "@/lib/api-auth";

type Ctx = { params: Promise<{ id: string }> };

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await agentConfigView(db(), user, id), { headers: { "cache-control": "no-store" } });
});

export const PUT = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const parsed = configSaveSchema.safeParse(await readJsonBody(req, MAX_CONFIG_BYTES));
  if (!parsed.success) throw invalidFrom(parsed.error, { fallback: "Invalid request", field: "yaml" });
  const saved = await saveAgentConfig(db(), user, id, parsed.data.yaml, { expectedVersion: parsed.data.baseVersion });
  // The agent's configuration long poll answers now (best effort: otherwise at the end of its wait).
  await notifyAgentConfigChanged(id);
  return Response.json(saved, { status: 201 });
});
