// POST /api/groups: create a group; the creator becomes its owner.
import { db } from "@/lib/db/client";
import { createGroup } from "@/lib/groups";
import { readJsonBody, withUser } from "@/lib/http/handler";

export const POST = withUser(async (user, req) => {
  const group = await createGroup(db(), user, await readJsonBody(req));
  return Response.json({ group: { id: group.id, path: group.path, name: group.name } }, { status: 201 });
});
