// GET /api/projects/:id/repository-webhook: whether the project has one, its URL (anyone who sees the project).
// POST: create it, or rotate its secret (maintainers, browser session only); the answer holds the secret, once.
// DELETE: remove it (maintainers, browser session only).
import { db } from "@/lib/db/client";
import { withActor, withSession } from "@/lib/api-auth";
import { createOrRotateRepositoryWebhook, deleteRepositoryWebhook, repositoryWebhookView } from "@/lib/gitops";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await repositoryWebhookView(db(), user, id));
});

export const POST = withSession(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await createOrRotateRepositoryWebhook(db(), user, id), {
    status: 201,
    headers: { "cache-control": "no-store" },
  });
});

export const DELETE = withSession(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  await deleteRepositoryWebhook(db(), user, id);
  return new Response(null, { status: 204 });
});
