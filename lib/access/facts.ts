// Reads the facts the access rules need from the database.
import type { Db } from "@/lib/db/client";
import { parseRole, type Role } from "./roles";
import type { Actor, GroupFacts, ProjectFacts } from "./rules";

export async function groupRole(db: Db, groupId: string, userId: string): Promise<Role | null> {
  const m = await db.groupMember.findUnique({ where: { groupId_userId: { groupId, userId } } });
  return m ? parseRole(m.role) : null;
}

export async function groupFacts(db: Db, groupId: string, userId: string): Promise<GroupFacts> {
  return { role: await groupRole(db, groupId, userId) };
}

/** The actor's relation to the project; a project bot's role counts in its own project only. */
export async function projectFacts(
  db: Db,
  project: { id: string; ownerUserId: string | null; groupId: string | null },
  actor: Pick<Actor, "id" | "projectBot">,
): Promise<ProjectFacts> {
  const bot = actor.projectBot;
  return {
    ownerUserId: project.ownerUserId,
    // A bot is never a group member: no query for it.
    groupRole: project.groupId && !bot ? await groupRole(db, project.groupId, actor.id) : null,
    ...(bot ? { botRole: bot.projectId === project.id ? bot.role : null } : {}),
  };
}
