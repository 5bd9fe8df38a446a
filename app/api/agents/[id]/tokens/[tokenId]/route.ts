// DELETE /api/agents/:id/tokens/:tokenId: revoke a token (maintainers and owners). kas closes the
// tunnels that use it at its next token re-check.
import { revokeAgentToken } from "@/lib/agents";
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";

export const DELETE = withActor(async (user, _req, ctx: { params: Promise<{ id: string; tokenId: string }> }) => {
  const { id, tokenId } = await ctx.params;
  await revokeAgentToken(db(), user, id, tokenId);
  return Response.json({ ok: true });
});
