// GET /api/agents/:id/receptive: the agent's receptive URL configuration and kas's state for it (never a
// private key), or null for an ordinary agent. PUT: create or replace it (maintainers and owners; a
// generated key pair is kept unless auth.rotateKey). DELETE: turn the agent back into an ordinary one.
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";
import { deleteReceptiveUrl, receptiveUrlPage, setReceptiveUrl } from "@/lib/receptive";

type Ctx = { params: Promise<{ id: string }> };

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  return Response.json(await receptiveUrlPage(db(), user, id), { headers: { "cache-control": "no-store" } });
});

export const PUT = withActor(async (user, req, ctx: Ctx) => {
  const { id } = await ctx.params;
  const body = await readJsonBody(req);
  return Response.json(
    { receptive: await setReceptiveUrl(db(), user, id, body) },
    { headers: { "cache-control": "no-store" } },
  );
});

export const DELETE = withActor(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  await deleteReceptiveUrl(db(), user, id);
  return Response.json({ ok: true });
});
