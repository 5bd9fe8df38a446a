// The administrator's fleet view: every agent of the installation with its connection state (asked of kas,
// as the agent pages do), agent and Kubernetes versions judged against kas's version and the support
// policy, every project and group with counts, and what web knows of kas's health. Administrators only;
// everyone else gets NotFound, like the other admin pages.
import { can, type Actor } from "@/lib/access";
import {
  HEARTBEAT_MS,
  agentPath,
  connectionStatus,
  lastContact,
  type KasStatusSource,
  type KasView,
} from "@/lib/agents";
import { KAS_VERSION, compareReleaseVersions } from "@/lib/common/release";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { currentSupportedMinors, supportStatus, type SupportedMinor } from "@/lib/versions/policy";
import { filterFleetAgents, sortFleetAgents, type FleetQuery } from "./query";
import type { FleetAgent, FleetCounts, FleetGroup, FleetProject, FleetView, KasReplicaSeen } from "./types";

/**
 * Asked of kas when the installation has no agent, so that the view can still say whether kas answers:
 * kas answers "not connected" for an id it has never seen.
 */
export const KAS_PROBE_ID = "tether-fleet-kas-probe";

export interface FleetOptions {
  now?: number;
  /** The supported minors to judge against (today's by default). */
  minors?: readonly SupportedMinor[];
  kasVersion?: string;
}

function skewOf(agentVersion: string | null, kasVersion: string): FleetAgent["versionSkew"] {
  const c = compareReleaseVersions(agentVersion, kasVersion);
  return c === null || c === 0 ? null : c < 0 ? "behind" : "ahead";
}

const projectHref = (fullPath: string) => `/projects/${fullPath}`;

export async function fleetView(
  db: Db,
  actor: Actor,
  kas: KasStatusSource,
  query: FleetQuery,
  { now = Date.now(), minors = currentSupportedMinors(new Date(now)), kasVersion = KAS_VERSION }: FleetOptions = {},
): Promise<FleetView> {
  if (!can.viewFleet(actor)) throw new NotFound("Page");
  const [agents, projects, groups] = await Promise.all([
    db.agent.findMany({
      select: {
        id: true,
        name: true,
        agentVersion: true,
        kubernetesVersion: true,
        nodeCount: true,
        podName: true,
        podNamespace: true,
        kasId: true,
        firstContactAt: true,
        lastContactAt: true,
        project: { select: { id: true, name: true, fullPath: true } },
      },
    }),
    db.project.findMany({
      orderBy: { fullPath: "asc" },
      select: {
        id: true,
        name: true,
        fullPath: true,
        group: { select: { path: true } },
        ownerUser: { select: { username: true } },
      },
    }),
    db.group.findMany({
      orderBy: { path: "asc" },
      select: {
        id: true,
        name: true,
        path: true,
        _count: { select: { projects: true, members: true } },
        projects: { select: { _count: { select: { agents: true } } } },
      },
    }),
  ]);

  const views: Map<string, KasView | null> = await kas(agents.length ? agents.map((a) => a.id) : [KAS_PROBE_ID]);
  const reachable = [...views.values()].every((v) => v !== null) && views.size > 0;

  const rows: FleetAgent[] = agents.map((a) => {
    const view = views.get(a.id) ?? null;
    const verdict = supportStatus(a.kubernetesVersion, minors);
    const agentVersion = a.agentVersion || null;
    return {
      id: a.id,
      name: a.name,
      href: agentPath(a.project.fullPath, a.name),
      project: { ...a.project, href: projectHref(a.project.fullPath) },
      status: connectionStatus(a, view, now),
      lastContactAt: lastContact(a, view)?.toISOString() ?? null,
      firstContactAt: a.firstContactAt?.toISOString() ?? null,
      agentVersion,
      versionSkew: skewOf(agentVersion, kasVersion),
      kubernetesVersion: a.kubernetesVersion || null,
      support: { status: verdict.status, detail: verdict.detail },
      nodeCount: a.firstContactAt ? a.nodeCount : null,
      pod: a.podName ? (a.podNamespace ? `${a.podNamespace}/${a.podName}` : a.podName) : null,
      lastHeardBy: a.kasId || null,
    };
  });

  const counts: FleetCounts = {
    agents: rows.length,
    connected: rows.filter((r) => r.status === "connected").length,
    notConnected: rows.filter((r) => r.status !== "connected").length,
    unsupported: rows.filter((r) => r.support.status === "unsupported").length,
    skew: rows.filter((r) => r.versionSkew !== null).length,
  };

  const perProject = new Map<string, { agents: number; connected: number }>();
  for (const r of rows) {
    const p = perProject.get(r.project.id) ?? { agents: 0, connected: 0 };
    p.agents++;
    if (r.status === "connected") p.connected++;
    perProject.set(r.project.id, p);
  }

  return {
    now: new Date(now).toISOString(),
    kas: { version: kasVersion, reachable, replicas: replicasSeen(agents, views, now) },
    counts,
    agents: sortFleetAgents(filterFleetAgents(rows, query), query),
    projects: projects.map((p): FleetProject => ({
      id: p.id,
      name: p.name,
      fullPath: p.fullPath,
      href: projectHref(p.fullPath),
      group: p.group ? { path: p.group.path, href: `/groups/${p.group.path}` } : null,
      owner: p.ownerUser?.username ?? null,
      agents: perProject.get(p.id)?.agents ?? 0,
      connectedAgents: perProject.get(p.id)?.connected ?? 0,
      fleetHref: `/admin/fleet?${new URLSearchParams({ q: p.fullPath.toLowerCase() })}`,
    })),
    groups: groups.map((g): FleetGroup => ({
      id: g.id,
      name: g.name,
      path: g.path,
      href: `/groups/${g.path}`,
      projects: g._count.projects,
      members: g._count.members,
      agents: g.projects.reduce((n, p) => n + p._count.agents, 0),
    })),
  };
}

/**
 * The kas replicas web knows of: those kas's registry names as holding tunnels now, and those that carried
 * a heartbeat within two heartbeat periods (a replica that carried none lately is not listed: web cannot
 * tell a stopped replica from an idle one).
 */
function replicasSeen(
  agents: { id: string; kasId: string | null; lastContactAt: Date | null }[],
  views: Map<string, KasView | null>,
  now: number,
): KasReplicaSeen[] {
  const seen = new Map<string, KasReplicaSeen>();
  const entry = (id: string) => {
    let e = seen.get(id);
    if (!e) seen.set(id, (e = { id, tunnels: 0, heartbeats: 0, lastHeartbeatAt: null }));
    return e;
  };
  for (const a of agents) {
    for (const id of new Set(views.get(a.id)?.replicas ?? [])) entry(id).tunnels++;
    const at = a.lastContactAt?.getTime();
    if (a.kasId && at !== undefined && now - at <= 2 * HEARTBEAT_MS) {
      const e = entry(a.kasId);
      e.heartbeats++;
      if (!e.lastHeartbeatAt || Date.parse(e.lastHeartbeatAt) < at) e.lastHeartbeatAt = new Date(at).toISOString();
    }
  }
  return [...seen.values()].sort((x, y) => x.id.localeCompare(y.id));
}
