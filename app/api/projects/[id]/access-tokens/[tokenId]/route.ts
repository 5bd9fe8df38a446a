// DELETE /api/projects/:id/access-tokens/:tokenId: revoke one of the project's access tokens (maintainers).
// Its scripts are refused at once; kas stops accepting it for kubectl once its short grant cache expires.
import { withActor } from "@/lib/api-auth";
import { db } from "@/lib/db/client";
import { revokeProjectToken } from "@/lib/project-tokens";

export const DELETE = withActor(async (user, _req, ctx: { params: Promise<{ id: string; tokenId: string }> }) => {
  const { id, tokenId } = await ctx.params;
  await revokeProjectToken(db(), user, id, tokenId);
  return Response.json({ ok: true });
});
