// DELETE /api/agents/:id/tokens/:tokenId: revoke a token (maintainers and owners). Every kas replica
// then re-checks the agent's tokens at once and closes the tunnels that used it.
import { revokeAgentToken } from "@/lib/agents";
import { closeAgentTunnelsEverywhere } from "@/lib/kas-bridge";
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";

export const DELETE = withActor(async (user, _req, ctx: { params: Promise<{ id: string; tokenId: string }> }) => {
  const { id, tokenId } = await ctx.params;
  await revokeAgentToken(db(), user, id, tokenId);
  // false: kas could not be told now; its periodic token re-check closes the tunnels instead (the page says so).
  const tunnelsClosed = await closeAgentTunnelsEverywhere(id, "token_revoked");
  return Response.json({ ok: true, tunnelsClosed });
});
