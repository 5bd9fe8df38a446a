// Which agents a caller may use through the k8s-proxy, computed the way kas's authorization decides
// (proxy-auth.ts): for a CI job of project P, P's own agents and every agent whose
// configuration in force names P or P's group in ci_access; for a user, whether an agent's user_access
// names a project or group where they have at least the developer role. The db tests check these
// answers against authorizeProxy itself.
import type { Db } from "@/lib/db/client";
import { accessAsOf, currentAgentConfig, currentAgentConfigs, type AccessAs } from "@/lib/agent-config";
import { userAccessMatches } from "./proxy-auth";

export interface CiUsableAgent {
  agentId: string;
  agentName: string;
  /** The project the agent is registered to (P itself for its own agents). */
  projectPath: string;
  /** P's own agent (full access as the agent) or shared with P through ci_access. */
  via: "own" | "ci_access_project" | "ci_access_group";
  accessAs: AccessAs;
  defaultNamespace: string | null;
}

/** The agents that CI jobs of this project may use, own agents first, then by project path and name. */
export async function agentsUsableByProjectForCi(db: Db, projectId: string): Promise<CiUsableAgent[]> {
  const project = await db.project.findUnique({ where: { id: projectId }, include: { group: true } });
  if (!project) return [];
  const own = await db.agent.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const result: CiUsableAgent[] = own.map((a) => ({
    agentId: a.id,
    agentName: a.name,
    projectPath: project.fullPath,
    via: "own",
    accessAs: "agent",
    defaultNamespace: null,
  }));

  const configs = await currentAgentConfigs(db, { excludeProjectId: projectId });
  const candidates: {
    agentId: string;
    entry: { default_namespace?: string; access_as?: object };
    via: CiUsableAgent["via"];
  }[] = [];
  for (const [agentId, cfg] of configs) {
    const byProject = cfg.ci_access?.projects?.find((p) => p.id.toLowerCase() === project.fullPath);
    const byGroup = project.group
      ? cfg.ci_access?.groups?.find((g) => g.id.toLowerCase() === project.group!.path)
      : undefined;
    const entry = byProject ?? byGroup;
    if (entry) candidates.push({ agentId, entry, via: byProject ? "ci_access_project" : "ci_access_group" });
  }
  if (candidates.length === 0) return result;
  const agents = await db.agent.findMany({
    where: { id: { in: candidates.map((c) => c.agentId) }, NOT: { projectId } },
    include: { project: { select: { fullPath: true } } },
  });
  const shared = agents
    .map((a): CiUsableAgent => {
      const c = candidates.find((x) => x.agentId === a.id)!;
      return {
        agentId: a.id,
        agentName: a.name,
        projectPath: a.project.fullPath,
        via: c.via,
        accessAs: accessAsOf(c.entry.access_as),
        defaultNamespace: c.entry.default_namespace ?? null,
      };
    })
    .sort((x, y) => x.projectPath.localeCompare(y.projectPath) || x.agentName.localeCompare(y.agentName));
  return [...result, ...shared];
}

export type UserAgentAccess =
  | { allowed: true; accessAs: AccessAs; via: { projects: string[]; groups: string[] } }
  | { allowed: false; reason: string };

/** May this user reach the agent with a personal access token (its user_access), and as whom? */
export async function userAccessToAgent(db: Db, userId: string, agentId: string): Promise<UserAgentAccess> {
  const ua = (await currentAgentConfig(db, agentId, { ifInvalid: "empty" })).data.user_access;
  if (!ua || ((ua.projects?.length ?? 0) === 0 && (ua.groups?.length ?? 0) === 0)) {
    return {
      allowed: false,
      reason: "The agent's configuration has no user_access: nobody can use it with a personal access token yet.",
    };
  }
  const { projects, groups } = await userAccessMatches(db, userId, ua);
  if (projects.length + groups.length === 0) {
    return {
      allowed: false,
      reason: "You need the developer role in a project or group listed in the agent's user_access.",
    };
  }
  return {
    allowed: true,
    accessAs: accessAsOf(ua.access_as),
    via: { projects: projects.map((p) => p.fullPath), groups: groups.map((g) => g.path) },
  };
}
