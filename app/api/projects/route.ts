// GET /api/projects: the projects the signed-in user can see. POST: create one.
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";
import { createProject, listVisibleProjects } from "@/lib/projects";

export const GET = withActor(async (user) => Response.json({ projects: await listVisibleProjects(db(), user) }));

export const POST = withActor(async (user, req) => {
  const project = await createProject(db(), user, await readJsonBody(req));
  return Response.json(
    { project: { id: project.id, fullPath: project.fullPath, name: project.name } },
    { status: 201 },
  );
});
