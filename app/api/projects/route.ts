// GET /api/projects: the projects the signed-in user can see.
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { listVisibleProjects } from "@/lib/projects/list";

export async function GET(): Promise<Response> {
  const user = await currentUser();
  if (!user) return errorResponse(401, "Sign in to see your projects");
  return Response.json({ projects: await listVisibleProjects(db(), user.id) });
}
