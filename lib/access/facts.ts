// Reads the facts the access rules need from the database.
import type { Db } from "@/lib/db/client";
import { parseRole, type Role } from "./roles";
import type { GroupFacts, ProjectFacts } from "./rules";

export async function groupRole(db: Db, groupId: string, userId: string): Promise<Role | null> {
  const m = await db.groupMember.findUnique({ where: { groupId_userId: { groupId, userId } } });
  return m ? parseRole(m.role) : null;
}

export async function groupFacts(db: Db, groupId: string, userId: string): Promise<GroupFacts> {
  return { role: await groupRole(db, groupId, userId) };
}

export async function projectFacts(
  db: Db,
  project: { ownerUserId: string | null; groupId: string | null },
  userId: string,
): Promise<ProjectFacts> {
  return {
    ownerUserId: project.ownerUserId,
    groupRole: project.groupId ? await groupRole(db, project.groupId, userId) : null,
  };
}
