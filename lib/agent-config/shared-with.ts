// Which agents of other projects a project may use: those whose configuration in force names it, or
// its group, in ci_access or user_access. Shown on the project's agent list beside its own agents.
import type { Db } from "@/lib/db/client";
import { parseAgentConfig } from "./parse";

/** Who an agent's configuration version names, lower case. Versions never change, so this is cached. */
interface Named {
  ci: { projects: Set<string>; groups: Set<string> };
  user: { projects: Set<string>; groups: Set<string> };
}
const namedCache = new Map<string, Named>();
const NAMED_CACHE_MAX = 10_000;

function namedBy(yaml: string): Named {
  const ids = (list: { id: string }[] | undefined) => new Set((list ?? []).map((e) => e.id.trim().toLowerCase()));
  try {
    const data = parseAgentConfig(yaml);
    return {
      ci: { projects: ids(data.ci_access?.projects), groups: ids(data.ci_access?.groups) },
      user: { projects: ids(data.user_access?.projects), groups: ids(data.user_access?.groups) },
    };
  } catch {
    // A stored version that no longer validates shares nothing.
    return { ci: { projects: new Set(), groups: new Set() }, user: { projects: new Set(), groups: new Set() } };
  }
}

/**
 * Agents of other projects whose current (newest) configuration names this project, or the group it
 * belongs to, in ci_access or user_access. Paths compare case-insensitively, as kas's authorization
 * does. Configurations are stored as YAML, so each agent's newest version is read and parsed once
 * (versions never change: the parse is cached per version); one small query finds the newest versions.
 */
export async function agentsSharedWithProject(
  db: Db,
  project: { id: string; fullPath: string; groupId: string | null },
): Promise<Map<string, ("ci_access" | "user_access")[]>> {
  const groupPath = project.groupId ? (await db.group.findUnique({ where: { id: project.groupId }, select: { path: true } }))?.path ?? null : null;
  const newest = (await db.agentConfig.groupBy({ by: ["agentId"], _max: { version: true }, where: { agent: { projectId: { not: project.id } } } }))
    .filter((n) => n._max.version !== null)
    .map((n) => ({ agentId: n.agentId, version: n._max.version!, key: `${n.agentId}:${n._max.version}` }));
  const missing = newest.filter((n) => !namedCache.has(n.key));
  for (let i = 0; i < missing.length; i += 200) {
    const batch = missing.slice(i, i + 200);
    const rows = await db.agentConfig.findMany({ where: { OR: batch.map((n) => ({ agentId: n.agentId, version: n.version })) }, select: { agentId: true, version: true, yaml: true } });
    for (const r of rows) {
      if (namedCache.size >= NAMED_CACHE_MAX) namedCache.delete(namedCache.keys().next().value!);
      namedCache.set(`${r.agentId}:${r.version}`, namedBy(r.yaml));
    }
  }
  const path = project.fullPath.toLowerCase();
  const found = new Map<string, ("ci_access" | "user_access")[]>();
  for (const n of newest) {
    // Not cached only when the cache overflowed meanwhile (or the agent was just deleted).
    const named = namedCache.get(n.key) ?? namedBy((await db.agentConfig.findUnique({ where: { agentId_version: { agentId: n.agentId, version: n.version } } }))?.yaml ?? "{}");
    const names = (s: { projects: Set<string>; groups: Set<string> }) => s.projects.has(path) || (groupPath !== null && s.groups.has(groupPath));
    const access: ("ci_access" | "user_access")[] = [];
    if (names(named.ci)) access.push("ci_access");
    if (names(named.user)) access.push("user_access");
    if (access.length > 0) found.set(n.agentId, access);
  }
  return found;
}
