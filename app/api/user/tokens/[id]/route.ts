// DELETE /api/user/tokens/:id: revoke one of the signed-in user's personal access tokens. Someone
// else's token is "not found". kas stops accepting it once its short grant cache expires.
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";
import { revokePersonalAccessToken } from "@/lib/tokens/access-tokens";

export const DELETE = withActor(async (user, _req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  await revokePersonalAccessToken(db(), user, id);
  return Response.json({ ok: true });
});
