// Reading the audit log: a project's page (its own events and its agents', maintainers and owners) and
// the installation's (admins). Newest first, 50 a page; each event is told as a sentence plus its
// details, with names instead of ids where the thing still exists.
import { can, findVisibleProject, type Actor, type ProjectRef } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { singular } from "@/lib/cluster-actions";
import type { AuditFilter } from "./audit-filter";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditRow {
  id: string;
  createdAt: string;
  /** "@username", "kas" for the agent server's own records, or null when unknown (a deleted user). */
  actor: string | null;
  action: string;
  summary: string;
  details: { label: string; value: string }[];
  ip: string | null;
}

export interface AuditPage {
  rows: AuditRow[];
  page: number;
  pages: number;
  total: number;
  pageSize: number;
}

type Event = {
  id: string;
  createdAt: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: string;
  ip: string | null;
  actor: { username: string } | null;
};
type Names = {
  agents: Map<string, { name: string; project: string }>;
  /** "name (project)" of deleted agents, from their deletion event. */
  deletedAgents: Map<string, string>;
  projects: Map<string, string>;
  groups: Map<string, string>;
  users: Map<string, string>;
};

/** "3" → 3; anything else (missing, "abc", "0", "-1") → 1. */
export function pageNumber(raw: string | string[] | undefined): number {
  const s = Array.isArray(raw) ? raw[0] : raw;
  return s && /^[0-9]{1,6}$/.test(s) && Number(s) >= 1 ? Number(s) : 1;
}

/** How a shell ended, as the audit sentence says it. */
const SHELL_ENDS: Record<string, string> = {
  exited: "the command exited",
  closed: "closed",
  session_ended: "the user's sessions ended",
  idle: "closed when idle",
};

const LABELS: Record<string, string> = {
  tokenId: "Token ID",
  viaToken: "With API token",
  viaTokenId: "API token ID",
  name: "Name",
  projectId: "Project ID",
  fullPath: "Project",
  path: "Path",
  version: "Version",
  agent: "Agent",
  added: "Added",
  removed: "Removed",
  change: "Change",
  share: "Sharing",
  username: "User",
  role: "Role",
  kind: "Credential",
  bot: "Bot user",
  scopes: "Scopes",
  expiresAt: "Expires",
  status: "HTTP status",
  reason: "Reason",
  actor: "Caller",
  actorType: "Caller type",
  verb: "Method",
  resource: "Resource",
  namespace: "Namespace",
  outcome: "Outcome",
};

/** What kind of credential a refused k8s-proxy request came with (k8s_proxy.refused's `kind`). */
const CREDENTIAL_KINDS: Record<string, string> = {
  ci: "CI job token",
  pat: "personal access token",
  project: "project access token",
};

/** Details the sentence already tells, per action: not repeated beside it. */
const IN_SUMMARY: Record<string, string[]> = {
  "project.created": ["fullPath"],
  "group.created": ["path"],
  "group.member_added": ["username", "role"],
  "group.member_role_changed": ["username", "from", "to"],
  "group.member_removed": ["username", "role"],
  "group.member_left": ["username"],
  "group.deleted": ["path", "projects", "agents"],
  "project.transferred": ["from", "to"],
  "project.deleted": ["fullPath", "agents"],
  "agent.deleted": ["name", "project", "projectId"],
  "agent.registered": ["name", "projectId"],
  "agent_token.created": ["name"],
  "agent_token.revoked": ["name"],
  "agent_config.changed": ["version", "agent"],
  "agent_sharing.changed": ["version", "agent", "change", "share"],
  // added and removed list every grant of the block twice (as before, as now): the sentence says it once.
  "agent_sharing.access_as_changed": ["version", "agent", "block", "from", "to", "grants", "added", "removed"],
  "k8s_proxy.request": ["actor", "verb", "resource", "name", "namespace", "outcome", "status"],
  "k8s_proxy.refused": ["kind", "reason"],
  "cluster.action": ["verb", "resource", "namespace", "name", "replicas", "outcome", "status"],
  "cluster.exec": ["namespace", "pod", "container", "command", "status", "exitCode", "durationSeconds"],
  "personal_token.created": ["name"],
  "personal_token.revoked": ["name"],
  "project_token.created": ["name", "role"],
  "project_token.revoked": ["name"],
  "user.sign_in_locked": ["failures", "lockedUntil"],
  "user.sessions_revoked": ["by"],
  "instance.sign_up_policy_changed": ["mode", "domains"],
  "instance.invite_created": ["expiresAt"],
};

function label(key: string): string {
  return (
    LABELS[key] ??
    key
      .replace(/_/g, " ")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .replace(/^./, (c) => c.toUpperCase())
  );
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);

function targetName(e: Event, n: Names): string {
  switch (e.targetType) {
    case "agent": {
      const a = n.agents.get(e.targetId);
      if (a) return `agent ${a.name} (${a.project})`;
      return `agent ${n.deletedAgents.get(e.targetId) ?? e.targetId}, deleted`;
    }
    case "project":
      return `project ${n.projects.get(e.targetId) ?? `${e.targetId} (deleted)`}`;
    case "group":
      return `group ${n.groups.get(e.targetId) ?? `${e.targetId} (deleted)`}`;
    case "user":
      return n.users.has(e.targetId) ? `@${n.users.get(e.targetId)}` : `user ${e.targetId} (deleted)`;
    default:
      return `${e.targetType} ${e.targetId}`;
  }
}

const ACTING: Record<string, string> = {
  agent: "the agent's service account",
  user: "the user (impersonated)",
  ci_job: "the CI job (impersonated)",
  "per grant": "a setting per grant",
};
const acting = (v: unknown): string => ACTING[str(v)] ?? str(v);

const CLUSTER_VERBS: Record<string, string> = {
  delete: "Deleted",
  reconcile: "Asked Flux to reconcile",
  restart: "Restarted the rollout of",
  scale: "Scaled",
  suspend: "Suspended",
  resume: "Resumed",
  trigger: "Started a Job from",
  cordon: "Cordoned",
  uncordon: "Uncordoned",
  drain: "Drained",
  edit: "Edited the YAML of",
};

/** One sentence for an event: what happened to what. */
export function summarize(e: Event, d: Record<string, unknown>, n: Names): string {
  const target = targetName(e, n);
  switch (e.action) {
    case "project.created":
      return `Created ${target}`;
    case "group.created":
      return `Created ${target}`;
    case "group.member_added":
      return `Added @${str(d.username)} to ${target} as ${str(d.role)}`;
    case "group.member_role_changed":
      return `Changed the role of @${str(d.username)} in ${target} from ${str(d.from)} to ${str(d.to)}`;
    case "group.member_removed":
      return `Removed @${str(d.username)} (${str(d.role)}) from ${target}`;
    case "group.member_left":
      return `Left ${target}`;
    case "group.updated":
      return `Changed ${target}`;
    case "group.deleted":
      return `Deleted group ${str(d.path)} with ${str(d.projects)} projects and ${str(d.agents)} agents`;
    case "project.updated":
      return `Changed ${target}`;
    case "project.transferred":
      return `Transferred project from ${str(d.from)} to ${str(d.to)}`;
    case "project.deleted":
      return `Deleted project ${str(d.fullPath)} with ${str(d.agents)} agents`;
    case "agent.registered":
      return `Registered ${target}`;
    case "agent.deleted":
      return `Deleted ${target}`;
    case "agent_token.created":
      return `Created token "${str(d.name)}" for ${target}`;
    case "agent_token.revoked":
      return `Revoked token "${str(d.name)}" of ${target}`;
    case "agent_config.changed":
      return `Saved configuration version ${str(d.version)} of ${target}`;
    case "agent_sharing.changed": {
      const how = d.change === "removed" ? "Stopped sharing" : d.change === "updated" ? "Changed sharing of" : "Shared";
      return `${how} ${target}: ${str(d.share)} (configuration version ${str(d.version)})`;
    }
    case "agent_sharing.access_as_changed": {
      const grants = Number(d.grants);
      return `Changed how the ${d.block === "ci_access" ? "CI access" : "user access"} grants of ${target} act, from ${acting(d.from)} to ${acting(d.to)} (${grants} ${grants === 1 ? "grant" : "grants"}, configuration version ${str(d.version)})`;
    }
    case "k8s_proxy.request": {
      const where = d.namespace ? ` in namespace ${str(d.namespace)}` : "";
      const what = [str(d.resource), str(d.name)].filter(Boolean).join(" ");
      return `${str(d.actor) || "Someone"} sent ${str(d.verb)} ${what || "a request"}${where} through ${target}: ${str(d.outcome)} (${str(d.status)})`;
    }
    case "cluster.action": {
      const where = d.namespace ? `${str(d.namespace)}/` : "";
      const what = `${singular(str(d.resource))} ${where}${str(d.name)}`;
      const verb = CLUSTER_VERBS[str(d.verb)] ?? str(d.verb);
      const to = d.verb === "scale" ? ` to ${str(d.replicas)}` : "";
      return d.outcome === "refused"
        ? `Tried to ${d.verb === "edit" ? "edit the YAML of" : str(d.verb)} ${what}${to} in the cluster of ${target}; the cluster refused (${str(d.status)})`
        : `${verb} ${what}${to} in the cluster of ${target}`;
    }
    case "cluster.exec": {
      const what = `${str(d.command)} in container ${str(d.container)} of pod ${str(d.namespace)}/${str(d.pod)}`;
      if (d.outcome === "refused")
        return `Tried to open a shell (${what}) in the cluster of ${target}; the cluster refused (${str(d.status)})`;
      if (d.outcome === "failed" || d.outcome === "invalid")
        return `Tried to open a shell (${what}) in the cluster of ${target}; it failed`;
      const exit = typeof d.exitCode === "number" ? `, exit code ${d.exitCode}` : "";
      return `Ran a shell (${what}) in the cluster of ${target} for ${str(d.durationSeconds)} s (${SHELL_ENDS[str(d.outcome)] ?? str(d.outcome)}${exit})`;
    }
    case "k8s_proxy.refused":
      return `Refused Kubernetes API access through ${target} (${CREDENTIAL_KINDS[str(d.kind)] ?? "personal access token"}): ${str(d.reason)}`;
    case "personal_token.created":
      return `Created personal access token "${str(d.name)}"`;
    case "personal_token.revoked":
      return `Revoked personal access token "${str(d.name)}"`;
    case "project_token.created":
      return `Created project access token "${str(d.name)}" with the ${str(d.role)} role in ${target}`;
    case "project_token.revoked":
      return `Revoked project access token "${str(d.name)}" of ${target}`;
    case "user.sign_up":
      return `Signed up as ${target}`;
    case "user.sign_in":
      return `Signed in`;
    case "user.sessions_revoked":
      return d.by === "self" ? "Signed out everywhere" : `Revoked every session of ${target}`;
    case "user.password_changed":
      return "Changed their password (every session ended)";
    case "user.password_set":
      return `Set a new password for ${target} (every session ended)`;
    case "user.password_reset_requested":
      return `Asked for a password reset link for ${target} (sent by e-mail)`;
    case "user.password_reset":
      return "Set a new password with a reset link (every session ended)";
    case "user.blocked":
      return `Blocked ${target} (sessions, tokens and kubectl access stopped)`;
    case "user.unblocked":
      return `Unblocked ${target}`;
    case "user.approved":
      return `Approved the account of ${target}`;
    case "instance.sign_up_policy_changed":
      return d.mode === "domains"
        ? `Set sign-up to e-mail addresses at ${str(d.domains)}`
        : `Set sign-up to ${str(d.mode)}`;
    case "instance.invite_created":
      return `Created an invite link that expires ${str(d.expiresAt)}`;
    case "user.admin_granted":
      return `Made ${target} an administrator`;
    case "user.admin_removed":
      return `Removed the administrator role from ${target}`;
    case "user.sign_in_locked":
      return `Locked password sign-in for ${target} after ${str(d.failures)} failed attempts, until ${str(d.lockedUntil)}`;
    case "repository_webhook.created":
      return `Created the repository webhook of ${target}`;
    case "repository_webhook.rotated":
      return `Rotated the repository webhook secret of ${target}`;
    case "repository_webhook.deleted":
      return `Deleted the repository webhook of ${target}`;
    case "repository_webhook.refused":
      return `Refused a repository webhook delivery${d.forge ? ` from ${str(d.forge)}` : ""} to ${target}: ${str(d.reason)}`;
    default:
      return `${e.action} on ${target}`;
  }
}

async function names(db: Db, events: Event[]): Promise<Names> {
  const ids = (type: string) => [...new Set(events.filter((e) => e.targetType === type).map((e) => e.targetId))];
  const [agents, deletedAgents, projects, groups, users] = await Promise.all([
    db.agent.findMany({
      where: { id: { in: ids("agent") } },
      select: { id: true, name: true, project: { select: { fullPath: true } } },
    }),
    db.auditEvent.findMany({
      where: { action: "agent.deleted", targetType: "agent", targetId: { in: ids("agent") } },
      select: { targetId: true, details: true },
    }),
    db.project.findMany({ where: { id: { in: ids("project") } }, select: { id: true, fullPath: true } }),
    db.group.findMany({ where: { id: { in: ids("group") } }, select: { id: true, path: true } }),
    db.user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, username: true } }),
  ]);
  return {
    agents: new Map(agents.map((a) => [a.id, { name: a.name, project: a.project.fullPath }])),
    deletedAgents: new Map(
      deletedAgents.map((e) => {
        const d = parseDetails(e.details);
        return [e.targetId, `${str(d.name)} (${str(d.project)})`];
      }),
    ),
    projects: new Map(projects.map((p) => [p.id, p.fullPath])),
    groups: new Map(groups.map((g) => [g.id, g.path])),
    users: new Map(users.map((u) => [u.id, u.username])),
  };
}

function toRow(e: Event, n: Names): AuditRow {
  const d = parseDetails(e.details);
  const actor = e.actor ? `@${e.actor.username}` : e.action.startsWith("k8s_proxy.") ? str(d.actor) || "kas" : null;
  return {
    id: e.id,
    createdAt: e.createdAt.toISOString(),
    actor,
    action: e.action,
    summary: summarize(e, d, n),
    details: Object.entries(d)
      .filter(
        ([k, v]) =>
          !(IN_SUMMARY[e.action] ?? []).includes(k) &&
          !(e.action === "agent_sharing.changed" && (k === "added" || k === "removed") && v === d.share),
      )
      .map(([k, v]) => ({ label: label(k), value: str(v) })),
    ip: e.ip,
  };
}

type Where = NonNullable<NonNullable<Parameters<Db["auditEvent"]["findMany"]>[0]>["where"]>;

/** At most this many events in one CSV export (newest first); the file says when it was cut. */
export const AUDIT_EXPORT_LIMIT = 10_000;

const DAY_MS = 86_400_000;

/** Ids of the agents named `name`: existing ones and deleted ones (from their deletion event). */
async function agentIdsNamed(db: Db, name: string): Promise<string[]> {
  const [agents, deleted] = await Promise.all([
    db.agent.findMany({ where: { name }, select: { id: true } }),
    db.auditEvent.findMany({
      where: { action: "agent.deleted", details: { contains: `"name":${JSON.stringify(name)}` } },
      select: { targetId: true },
    }),
  ]);
  return [...agents.map((a) => a.id), ...deleted.map((d) => d.targetId)];
}

/** The filter as a database condition, on top of the log's scope. */
async function filtered(db: Db, scope: Where, f: AuditFilter): Promise<Where> {
  const and: Where[] = [scope];
  if (f.actor) and.push({ actor: { username: f.actor } });
  if (f.action) and.push(f.action.includes(".") ? { action: f.action } : { action: { startsWith: `${f.action}.` } });
  if (f.agent) and.push({ targetType: "agent", targetId: { in: await agentIdsNamed(db, f.agent) } });
  if (f.from) and.push({ createdAt: { gte: new Date(`${f.from}T00:00:00Z`) } });
  if (f.to) and.push({ createdAt: { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY_MS) } });
  if (f.q)
    and.push({
      OR: [
        { action: { contains: f.q } },
        { details: { contains: f.q } },
        { actor: { username: { contains: f.q.toLowerCase().replace(/^@/, "") } } },
        { ip: { contains: f.q } },
      ],
    });
  return { AND: and };
}

const ORDER = [{ createdAt: "desc" as const }, { id: "desc" as const }];

async function pageOf(db: Db, where: Where, page: number): Promise<AuditPage> {
  const total = await db.auditEvent.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const events = await db.auditEvent.findMany({
    where,
    orderBy: ORDER,
    skip: (current - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
    include: { actor: { select: { username: true } } },
  });
  const n = await names(db, events);
  return { rows: events.map((e) => toRow(e, n)), page: current, pages, total, pageSize: AUDIT_PAGE_SIZE };
}

async function allOf(db: Db, where: Where): Promise<{ rows: AuditRow[]; total: number }> {
  const total = await db.auditEvent.count({ where });
  const events = await db.auditEvent.findMany({
    where,
    orderBy: ORDER,
    take: AUDIT_EXPORT_LIMIT,
    include: { actor: { select: { username: true } } },
  });
  const n = await names(db, events);
  return { rows: events.map((e) => toRow(e, n)), total };
}

/** The project's agents, and those deleted from it (their events stay in the project's log). */
async function projectAgentIds(db: Db, projectId: string): Promise<string[]> {
  const [agents, deleted] = await Promise.all([
    db.agent.findMany({ where: { projectId }, select: { id: true } }),
    // Ids are cuids, so the JSON text holds this exact substring only for this project.
    db.auditEvent.findMany({
      where: { action: "agent.deleted", details: { contains: `"projectId":"${projectId}"` } },
      select: { targetId: true },
    }),
  ]);
  return [...new Set([...agents.map((a) => a.id), ...deleted.map((d) => d.targetId)])];
}

/** The project's events and its agents'. Outsiders and developers get NotFound, as for a page they cannot see. */
async function projectScope(db: Db, actor: Actor, ref: ProjectRef) {
  const { project, facts } = await findVisibleProject(db, actor, ref);
  if (!can.viewProjectAudit(actor, facts)) throw new NotFound("Project");
  const agentIds = await projectAgentIds(db, project.id);
  const where: Where = {
    OR: [
      { targetType: "project", targetId: project.id },
      ...(agentIds.length ? [{ targetType: "agent", targetId: { in: agentIds } }] : []),
    ],
  };
  return { where, project: { id: project.id, fullPath: project.fullPath, name: project.name } };
}

export async function projectAuditLog(
  db: Db,
  actor: Actor,
  ref: ProjectRef,
  page = 1,
  filter: AuditFilter = {},
): Promise<AuditPage & { project: { id: string; fullPath: string; name: string } }> {
  const { where, project } = await projectScope(db, actor, ref);
  return { ...(await pageOf(db, await filtered(db, where, filter), page)), project };
}

/** Every event of the installation (admins only; NotFound for everyone else). */
export async function instanceAuditLog(db: Db, actor: Actor, page = 1, filter: AuditFilter = {}): Promise<AuditPage> {
  if (!can.viewInstanceAudit(actor)) throw new NotFound("Page");
  return pageOf(db, await filtered(db, {}, filter), page);
}

/** Every event the filter selects (up to AUDIT_EXPORT_LIMIT), for the CSV export: a project's (its auditors) or the installation's (admins). */
export async function auditExport(
  db: Db,
  actor: Actor,
  scope: { project: string } | "instance",
  filter: AuditFilter,
): Promise<{ rows: AuditRow[]; total: number; name: string }> {
  if (scope === "instance") {
    if (!can.viewInstanceAudit(actor)) throw new NotFound("Page");
    return { ...(await allOf(db, await filtered(db, {}, filter))), name: "installation" };
  }
  const { where, project } = await projectScope(db, actor, scope.project);
  return { ...(await allOf(db, await filtered(db, where, filter))), name: project.fullPath };
}
