// PATCH /api/users/:id {blocked?, isAdmin?}: an administrator blocks or unblocks a user, or grants or
// removes the administrator role (the last administrator keeps it). Anyone else: not found.
import { changeUserAsAdmin } from "@/lib/auth/admin-users";
import { clientAddress } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { readJsonBody, withSession } from "@/lib/api-auth";

export const PATCH = withSession(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const state = await changeUserAsAdmin(db(), user, id, await readJsonBody(req, 4 * 1024), clientAddress(req.headers));
  return Response.json({ user: state });
});
