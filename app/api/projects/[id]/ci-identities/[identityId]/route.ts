// DELETE /api/projects/:id/ci-identities/:identityId: stop trusting a CI identity (maintainers). Credentials
// already minted keep their short lifetime.
import { deleteCiIdentity } from "@/lib/ci-oidc";
import { db } from "@/lib/db/client";
import { withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const DELETE = withActor(async (user, _req, ctx: { params: Promise<{ id: string; identityId: string }> }) => {
  const { id, identityId } = await ctx.params;
  await deleteCiIdentity(db(), user, id, identityId);
  return new Response(null, { status: 204 });
});
