// POST /api/groups: create a group; the creator becomes its owner.
import { db } from "@/lib/db/client";
import { createGroup } from "@/lib/groups";
import { readJsonBody, withActor } from "@/lib/api-auth";

export const POST = withActor(async (user, req) => {
  const group = await createGroup(db(), user, await readJsonBody(req));
  return Response.json({ group: { id: group.id, path: group.path, name: group.name } }, { status: 201 });
});
