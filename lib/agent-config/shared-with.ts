// Which agents of other projects a project may use: those whose configuration in force names it, or
// its group, in ci_access or user_access. Shown on the project's agent list beside its own agents.
import type { Db } from "@/lib/db/client";
import { currentAgentConfigs } from "./in-force";

/**
 * Agents of other projects whose configuration in force names this project, or the group it belongs
 * to, in ci_access or user_access. Paths compare case-insensitively, as kas's authorization does.
 */
export async function agentsSharedWithProject(
  db: Db,
  project: { id: string; fullPath: string; groupId: string | null },
): Promise<Map<string, ("ci_access" | "user_access")[]>> {
  const groupPath = project.groupId
    ? ((await db.group.findUnique({ where: { id: project.groupId }, select: { path: true } }))?.path ?? null)
    : null;
  const path = project.fullPath.toLowerCase();
  const has = (list: { id: string }[] | undefined, want: string | null) =>
    want !== null && (list ?? []).some((e) => e.id.trim().toLowerCase() === want);
  const names = (access: { projects?: { id: string }[]; groups?: { id: string }[] } | undefined) =>
    has(access?.projects, path) || has(access?.groups, groupPath);
  const found = new Map<string, ("ci_access" | "user_access")[]>();
  for (const [agentId, data] of await currentAgentConfigs(db, { excludeProjectId: project.id })) {
    const access: ("ci_access" | "user_access")[] = [];
    if (names(data.ci_access)) access.push("ci_access");
    if (names(data.user_access)) access.push("user_access");
    if (access.length > 0) found.set(agentId, access);
  }
  return found;
}
