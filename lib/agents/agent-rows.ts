// The agent pages' rows and their JSON routes: a project's agents (its own and those shared with it)
// with their live status, and one agent. Every function checks the access rules first; outsiders get NotFound.
import { can, findVisibleAgent, findVisibleProject, projectFacts, type Actor, type ProjectFacts } from "@/lib/access";
import { KAS_VERSION, agentIsBehind } from "@/lib/common/release";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { agentsSharedWithProject } from "@/lib/agent-config";
import { MAX_ACTIVE_TOKENS } from "./agent-tokens";
import { connectionStatus, lastContact, type ConnectionStatus, type KasStatusSource, type KasView } from "./status";

/** One agent as the UI shows it (JSON-safe: dates are ISO strings). */
export interface AgentRow {
  id: string;
  name: string;
  href: string;
  status: ConnectionStatus;
  lastContactAt: string | null;
  firstContactAt: string | null;
  agentVersion: string | null;
  kubernetesVersion: string | null;
  nodeCount: number | null;
  /** Connections the agent has open (one per agent pod), from kas's tunnel registry; null when kas could not be asked. */
  connections: number | null;
  /** The kas replicas holding them (several behind a load balancer). */
  kasReplicas: string[];
  /** The agent reported a version older than kas's. */
  versionBehind: boolean;
  activeTokens: number;
  createdAt: string;
  /** kas dials this agent (it has a URL configuration): where, and what kas last met; null for an ordinary agent. */
  receptive: ReceptiveRowState | null;
}

/** A receptive agent's state as kas last reported it (the Receptive tab shows the rest). */
export interface ReceptiveRowState {
  url: string;
  state: "connecting" | "connected" | "failing";
  /** Why kas cannot connect, in words a person can act on, e.g. "kas cannot reach grpcs://…: connect ECONNREFUSED (retrying in 8 s)". */
  message: string | null;
  lastConnectedAt: string | null;
}

export interface AgentListView {
  kasVersion: string;
  canManage: boolean;
  maxActiveTokens: number;
  /** Server time, so the browser can correct its clock when it says "12 s ago". */
  now: string;
  /** kas could not be asked: statuses come from the agents' last heartbeats. */
  kasUnreachable: boolean;
  agents: AgentRow[];
  /** Agents of other projects whose configuration shares them with this project (read-only here). */
  shared: SharedAgentRow[];
}

/** An agent registered to another project and shared with this one through its configuration. */
export interface SharedAgentRow extends Omit<AgentRow, "href" | "activeTokens"> {
  /** The agent's page in its own project, when the viewer may see that project; else null. */
  href: string | null;
  /** The project the agent is registered to. */
  sharedFrom: string;
  /** How it is shared: with this project's CI jobs, its members, or both. */
  access: ("ci_access" | "user_access")[];
}

export function clustersPath(projectFullPath: string): string {
  return `/projects/${projectFullPath}/-/clusters`;
}

export function agentPath(projectFullPath: string, agentName: string): string {
  return `${clustersPath(projectFullPath)}/${agentName}`;
}

type AgentRecord = {
  id: string;
  name: string;
  createdAt: Date;
  agentVersion: string | null;
  kubernetesVersion: string | null;
  nodeCount: number | null;
  firstContactAt: Date | null;
  lastContactAt: Date | null;
  _count: { tokens: number };
  receptiveUrl: { url: string; state: string; stateMessage: string | null; lastConnectedAt: Date | null } | null;
};

const agentSelect = {
  id: true,
  name: true,
  createdAt: true,
  agentVersion: true,
  kubernetesVersion: true,
  nodeCount: true,
  firstContactAt: true,
  lastContactAt: true,
  _count: { select: { tokens: { where: { revokedAt: null } } } },
  receptiveUrl: { select: { url: true, state: true, stateMessage: true, lastConnectedAt: true } },
} as const;

function receptiveRow(r: AgentRecord["receptiveUrl"]): ReceptiveRowState | null {
  if (!r) return null;
  const state = (["connecting", "connected", "failing"] as const).find((s) => s === r.state) ?? "connecting";
  return {
    url: r.url,
    state,
    message: state === "failing" ? r.stateMessage : null,
    lastConnectedAt: r.lastConnectedAt?.toISOString() ?? null,
  };
}

async function toRows(
  agents: AgentRecord[],
  projectFullPath: string,
  kas: KasStatusSource,
  now: number,
): Promise<{ rows: AgentRow[]; kasUnreachable: boolean }> {
  const views = agents.length > 0 ? await kas(agents.map((a) => a.id)) : new Map<string, KasView | null>();
  const kasUnreachable = agents.some((a) => (views.get(a.id) ?? null) === null);
  const rows = agents.map((a): AgentRow => {
    const view = views.get(a.id) ?? null;
    const last = lastContact(a, view);
    return {
      id: a.id,
      name: a.name,
      href: agentPath(projectFullPath, a.name),
      status: connectionStatus(a, view, now),
      lastContactAt: last?.toISOString() ?? null,
      firstContactAt: a.firstContactAt?.toISOString() ?? null,
      agentVersion: a.agentVersion || null,
      kubernetesVersion: a.kubernetesVersion || null,
      nodeCount: a.firstContactAt ? a.nodeCount : null,
      connections: view ? (view.connected ? (view.connections ?? 1) : 0) : null,
      kasReplicas: view?.connected ? (view.replicas ?? []) : [],
      versionBehind: agentIsBehind(a.agentVersion),
      activeTokens: a._count.tokens,
      createdAt: a.createdAt.toISOString(),
      receptive: receptiveRow(a.receptiveUrl),
    };
  });
  return { rows, kasUnreachable };
}

export async function listProjectAgents(
  db: Db,
  actor: Actor,
  projectId: string,
  kas: KasStatusSource,
  now = Date.now(),
): Promise<AgentListView> {
  const { project, facts } = await findVisibleProject(db, actor, { id: projectId });
  const agents = await db.agent.findMany({ where: { projectId }, orderBy: { name: "asc" }, select: agentSelect });
  const sharedAccess = await agentsSharedWithProject(db, project);
  const sharedAgents = sharedAccess.size
    ? await db.agent.findMany({
        where: { id: { in: [...sharedAccess.keys()] } },
        select: { ...agentSelect, project: { select: { id: true, fullPath: true, ownerUserId: true, groupId: true } } },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      })
    : [];
  const { rows, kasUnreachable } = await toRows([...agents, ...sharedAgents], project.fullPath, kas, now);
  const shared: SharedAgentRow[] = [];
  for (const [i, a] of sharedAgents.entries()) {
    const row = rows[agents.length + i]!;
    const canSee = can.viewProject(actor, await projectFacts(db, a.project, actor));
    // No token count: tokens are the owning project's business.
    shared.push({
      id: row.id,
      name: row.name,
      status: row.status,
      lastContactAt: row.lastContactAt,
      firstContactAt: row.firstContactAt,
      agentVersion: row.agentVersion,
      kubernetesVersion: row.kubernetesVersion,
      nodeCount: row.nodeCount,
      connections: row.connections,
      kasReplicas: row.kasReplicas,
      versionBehind: row.versionBehind,
      createdAt: row.createdAt,
      receptive: row.receptive,
      href: canSee ? agentPath(a.project.fullPath, a.name) : null,
      sharedFrom: a.project.fullPath,
      access: sharedAccess.get(a.id)!,
    });
  }
  return { ...pageFacts(actor, facts, now, kasUnreachable), agents: rows.slice(0, agents.length), shared };
}

/** What both agent pages show beside their rows: kas's version, who may manage, the server's clock, and whether kas answered. */
function pageFacts(actor: Actor, facts: ProjectFacts, now: number, kasUnreachable: boolean) {
  return {
    kasVersion: KAS_VERSION,
    canManage: can.manageProjectAgents(actor, facts),
    maxActiveTokens: MAX_ACTIVE_TOKENS,
    now: new Date(now).toISOString(),
    kasUnreachable,
  };
}

export interface AgentView {
  kasVersion: string;
  canManage: boolean;
  maxActiveTokens: number;
  now: string;
  kasUnreachable: boolean;
  project: { id: string; fullPath: string; name: string };
  agent: AgentRow & { createdBy: string | null };
}

export async function agentView(
  db: Db,
  actor: Actor,
  agentId: string,
  kas: KasStatusSource,
  now = Date.now(),
): Promise<AgentView> {
  const { agent: found, facts } = await findVisibleAgent(db, actor, agentId);
  const record = await db.agent.findUniqueOrThrow({
    where: { id: agentId },
    select: { ...agentSelect, createdBy: { select: { username: true } } },
  });
  const {
    rows: [row],
    kasUnreachable,
  } = await toRows([record], found.project.fullPath, kas, now);
  return {
    ...pageFacts(actor, facts, now, kasUnreachable),
    project: { id: found.project.id, fullPath: found.project.fullPath, name: found.project.name },
    agent: { ...row!, createdBy: record.createdBy?.username ?? null },
  };
}

/** The agent named `name` in the project at `fullPath`, if the actor may see the project. */
export async function findVisibleAgentByName(db: Db, actor: Actor, fullPath: string, name: string) {
  const { project, facts } = await findVisibleProject(db, actor, fullPath);
  const agent = await db.agent.findUnique({ where: { projectId_name: { projectId: project.id, name } } });
  if (!agent) throw new NotFound("Agent");
  return { project, facts, agent, canManage: can.manageProjectAgents(actor, facts) };
}
