// Who may use an agent through kas's Kubernetes API proxy, and as whom. The credential names the agent
// (`pat:<agent-id>:<token>` or `ci:<agent-id>:<token>`, as GitLab does); the agent's configuration
// (ci_access / user_access) decides, and says whether the agent acts as itself or impersonates the
// caller. The cluster's RBAC has the last word. A project access token goes in the `pat:` form too (as
// GitLab's do): its bot is a user whose only membership is its own project, so user_access lets it in
// through that project alone, and an impersonating agent acts as tether:user:<bot>.
import { z } from "zod";
import { atLeast, impersonationFor, parseRole, type Impersonation, type ProjectBot } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { ProxyGrant } from "@/lib/common/kas-web-contract";
import type { Db } from "@/lib/db/client";
import { botRoleOf } from "@/lib/project-tokens/project-tokens";
import {
  CI_JOB_TOKEN_PREFIX,
  PERSONAL_TOKEN_PREFIX,
  PROJECT_TOKEN_PREFIX,
  hashToken,
  lastUseIsStale,
  looksLikeToken,
} from "@/lib/tokens/tokens";
import { accessAsOf, currentAgentConfig, type AgentConfigData } from "@/lib/agent-config";

export interface ProxyCredential {
  kind: "pat" | "ci";
  agentId: string;
  token: string;
}

/** `pat:<agent-id>:<token>` (a personal or project access token) or `ci:<agent-id>:<token>`; null when it has another shape. */
export function parseProxyCredential(bearer: string): ProxyCredential | null {
  const m = /^(pat|ci):([a-z0-9]{1,64}):(\S+)$/.exec(bearer);
  if (!m) return null;
  const kind = m[1] as "pat" | "ci";
  const token = m[3]!;
  const shaped =
    kind === "pat"
      ? looksLikeToken(token, PERSONAL_TOKEN_PREFIX) || looksLikeToken(token, PROJECT_TOKEN_PREFIX)
      : looksLikeToken(token, CI_JOB_TOKEN_PREFIX);
  if (!shaped) return null;
  return { kind, agentId: m[2]!, token };
}

const extraSchema = z.record(z.string(), z.array(z.string()));

/** The impersonation extra stored with an OIDC-minted CI job token; a row written before it had none. */
function parseImpersonationExtra(text: string): Record<string, string[]> {
  const parsed = extraSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
}

/** A grant is what kas receives (the contract's authorize-proxy answer); a refusal becomes its status and reason. */
export type ProxyDecision = ProxyGrant | { allowed: false; status: 401 | 403; reason: string };

const refuse = (status: 401 | 403, reason: string): ProxyDecision => ({ allowed: false, status, reason });

export async function authorizeProxy(db: Db, cred: ProxyCredential): Promise<ProxyDecision> {
  const decision = await decide(db, cred);
  if (!decision.allowed) {
    await recordAudit(db, {
      actorId: null,
      action: "k8s_proxy.refused",
      targetType: "agent",
      targetId: cred.agentId,
      details: {
        kind: cred.token.startsWith(PROJECT_TOKEN_PREFIX) ? "project" : cred.kind,
        status: decision.status,
        reason: decision.reason,
      },
    });
  }
  return decision;
}

async function decide(db: Db, cred: ProxyCredential): Promise<ProxyDecision> {
  const now = new Date();
  const agent = await db.agent.findUnique({ where: { id: cred.agentId }, include: { project: true } });
  if (cred.kind === "ci") {
    const row = await db.ciJobToken.findUnique({
      where: { tokenHash: hashToken(cred.token) },
      include: { project: true, createdBy: { select: { blockedAt: true } } },
    });
    if (!row) return refuse(401, "unknown CI job token");
    if (row.revokedAt) return refuse(401, "this CI job token was revoked");
    if (row.createdBy?.blockedAt) return refuse(401, "the user who started this CI job is blocked");
    if (row.expiresAt <= now) return refuse(401, `this CI job token expired at ${row.expiresAt.toISOString()}`);
    await db.ciJobToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    if (!agent)
      return refuse(
        403,
        `project ${row.project.fullPath} may not use agent ${cred.agentId} (no such agent shares its cluster with it)`,
      );
    const { data } = await currentAgentConfig(db, agent.id);
    const group = row.project.groupId ? await db.group.findUnique({ where: { id: row.project.groupId } }) : null;
    const entry =
      agent.projectId === row.projectId
        ? { access_as: undefined, default_namespace: undefined }
        : (data.ci_access?.projects?.find((p) => p.id.toLowerCase() === row.project.fullPath) ??
          (group ? data.ci_access?.groups?.find((g) => g.id.toLowerCase() === group.path) : undefined));
    if (!entry)
      return refuse(
        403,
        `project ${row.project.fullPath} is not authorized to use agent "${agent.name}" (it is not in the agent's ci_access)`,
      );
    const accessAs = accessAsOf(entry.access_as);
    return {
      allowed: true,
      agentId: agent.id,
      agentName: agent.name,
      actor: { type: "ci_job", id: row.id, name: `${row.project.fullPath} job ${row.jobName}` },
      accessAs,
      impersonation: impersonationFor(accessAs, {
        type: "ci_job",
        jobId: row.id,
        projectId: row.projectId,
        groupId: row.project.groupId,
        extra: parseImpersonationExtra(row.impersonationExtra),
      }),
      defaultNamespace: entry.default_namespace ?? null,
    };
  }

  if (cred.token.startsWith(PROJECT_TOKEN_PREFIX)) return decideProjectToken(db, cred, agent, now);
  const row = await db.personalAccessToken.findUnique({
    where: { tokenHash: hashToken(cred.token) },
    include: { user: true },
  });
  if (!row) return refuse(401, "unknown personal access token");
  if (row.revokedAt) return refuse(401, "this personal access token was revoked");
  if (row.user.blockedAt) return refuse(401, "the owner of this personal access token is blocked");
  if (row.expiresAt <= now) return refuse(401, `this personal access token expired at ${row.expiresAt.toISOString()}`);
  if (!row.scopes.split(" ").includes("k8s_proxy"))
    return refuse(403, "this personal access token lacks the k8s_proxy scope");
  await db.personalAccessToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  if (!agent) return refuse(403, `agent ${cred.agentId} is not shared with you`);
  const grant = await userAccessGrant(db, { id: row.userId, username: row.user.username }, agent.id);
  if (!grant)
    return refuse(
      403,
      `you are not authorized to use agent "${agent.name}" (you need the developer role in a project or group listed in its user_access)`,
    );
  return {
    allowed: true,
    agentId: agent.id,
    agentName: agent.name,
    actor: { type: "user", id: row.userId, name: row.user.username },
    accessAs: grant.accessAs,
    impersonation: grant.impersonation,
    defaultNamespace: null,
  };
}

/** A project access token through kas: its bot, let in by user_access through its own project only. */
async function decideProjectToken(
  db: Db,
  cred: ProxyCredential,
  agent: { id: string; name: string } | null,
  now: Date,
): Promise<ProxyDecision> {
  const row = await db.projectAccessToken.findUnique({
    where: { tokenHash: hashToken(cred.token) },
    include: { botUser: { select: { username: true, blockedAt: true } }, project: { select: { fullPath: true } } },
  });
  if (!row) return refuse(401, "unknown project access token");
  if (row.revokedAt) return refuse(401, `this project access token (${row.name}) was revoked`);
  if (row.botUser.blockedAt) return refuse(401, `the bot of this project access token (${row.name}) is blocked`);
  if (row.expiresAt <= now)
    return refuse(401, `this project access token (${row.name}) expired at ${row.expiresAt.toISOString()}`);
  const role = botRoleOf(row.role);
  if (!role) return refuse(401, `this project access token (${row.name}) has no valid role`);
  if (!row.scopes.split(" ").includes("k8s_proxy"))
    return refuse(403, `this project access token (${row.name}) lacks the k8s_proxy scope`);
  if (lastUseIsStale(row.lastUsedAt, now))
    await db.projectAccessToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  if (!agent) return refuse(403, `agent ${cred.agentId} is not shared with project ${row.project.fullPath}`);
  const bot = { id: row.botUserId, username: row.botUser.username };
  const grant = await userAccessGrant(db, { ...bot, projectBot: { projectId: row.projectId, role } }, agent.id);
  if (!grant)
    return refuse(
      403,
      `project access token "${row.name}" may not use agent "${agent.name}" (its project ${row.project.fullPath} is not in the agent's user_access)`,
    );
  return {
    allowed: true,
    agentId: agent.id,
    agentName: agent.name,
    actor: { type: "user", id: bot.id, name: bot.username },
    accessAs: grant.accessAs,
    impersonation: grant.impersonation,
    defaultNamespace: null,
  };
}

/** What user_access grants a project bot: its own project when listed (its role is developer or more), never a group. */
async function botAccessMatches(
  db: Db,
  bot: ProjectBot,
  ua: AgentConfigData["user_access"],
): Promise<{ projects: { id: string; fullPath: string }[]; groups: { id: string; path: string }[] }> {
  const project = await db.project.findUnique({ where: { id: bot.projectId }, select: { id: true, fullPath: true } });
  const listed =
    project !== null &&
    atLeast(bot.role, "developer") &&
    (ua?.projects ?? []).some((p) => p.id.toLowerCase() === project.fullPath);
  return { projects: listed ? [project] : [], groups: [] };
}

/**
 * The projects and groups listed in user_access that let this user in: those where they have at least
 * the developer role (or own the project).
 */
export async function userAccessMatches(
  db: Db,
  userId: string,
  ua: AgentConfigData["user_access"],
): Promise<{ projects: { id: string; fullPath: string }[]; groups: { id: string; path: string }[] }> {
  const memberships = await db.groupMember.findMany({
    where: { userId },
    include: { group: { select: { path: true } } },
  });
  const roleIn = (groupId: string | null) => {
    const m = memberships.find((x) => x.groupId === groupId);
    return m ? parseRole(m.role) : null;
  };
  const projects: { id: string; fullPath: string }[] = [];
  const groups: { id: string; path: string }[] = [];
  for (const p of ua?.projects ?? []) {
    const project = await db.project.findUnique({
      where: { fullPath: p.id.toLowerCase() },
      select: { id: true, fullPath: true, ownerUserId: true, groupId: true },
    });
    if (project && (project.ownerUserId === userId || atLeast(roleIn(project.groupId), "developer")))
      projects.push({ id: project.id, fullPath: project.fullPath });
  }
  for (const g of ua?.groups ?? []) {
    const m = memberships.find((x) => x.group.path === g.id.toLowerCase());
    if (m && atLeast(parseRole(m.role), "developer")) groups.push({ id: m.groupId, path: m.group.path });
  }
  return { projects, groups };
}

/**
 * What the agent's user_access grants this user: null unless they have at least the developer role in
 * a project or group it lists; otherwise how the agent acts for them (as itself, or impersonating them
 * with groups for the projects and groups that let them in).
 */
export async function userAccessGrant(
  db: Db,
  user: { id: string; username: string; projectBot?: ProjectBot | null },
  agentId: string,
): Promise<{ accessAs: "agent" | "user"; impersonation: Impersonation | null } | null> {
  const ua = (await currentAgentConfig(db, agentId)).data.user_access;
  const { projects, groups } = user.projectBot
    ? await botAccessMatches(db, user.projectBot, ua)
    : await userAccessMatches(db, user.id, ua);
  if (projects.length + groups.length === 0) return null;
  const accessAs = accessAsOf(ua?.access_as) === "user" ? "user" : "agent";
  return {
    accessAs,
    impersonation: impersonationFor(accessAs, {
      type: "user",
      username: user.username,
      projectIds: projects.map((p) => p.id),
      groupIds: groups.map((g) => g.id),
    }),
  };
}
