// Projects a user can see: their own, and those of groups they belong to; a project bot sees its one project.
import type { Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";

export interface ProjectSummary {
  id: string;
  name: string;
  fullPath: string;
  description: string;
  namespace: { kind: "group" | "user"; path: string };
  createdAt: string;
}

export async function listVisibleProjects(
  db: Db,
  actor: string | Pick<Actor, "id" | "projectBot">,
): Promise<ProjectSummary[]> {
  const { id: userId, projectBot } = typeof actor === "string" ? { id: actor, projectBot: null } : actor;
  const rows = await db.project.findMany({
    where: projectBot
      ? { id: projectBot.projectId }
      : { OR: [{ ownerUserId: userId }, { group: { members: { some: { userId } } } }] },
    include: { group: { select: { path: true } }, ownerUser: { select: { username: true } } },
    orderBy: { fullPath: "asc" },
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    fullPath: p.fullPath,
    description: p.description,
    namespace: p.group ? { kind: "group", path: p.group.path } : { kind: "user", path: p.ownerUser?.username ?? "" },
    createdAt: p.createdAt.toISOString(),
  }));
}
