// The clusters a signed-in user can see, with the Kubernetes version each one reported, for the
// "Your clusters" section of /kubernetes-versions.
import type { Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { currentSupportedMinors, supportStatus, type SupportVerdict, type SupportedMinor } from "./policy";

export interface ClusterVersionRow {
  agentId: string;
  agentName: string;
  projectFullPath: string;
  /** Link to the agent's page. */
  href: string;
  /** As the agent reported it (the cluster's gitVersion, e.g. "v1.33.4-gke.100"); null until it has. */
  kubernetesVersion: string | null;
  /** The support status of that version under the policy (what the badge shows). */
  support: SupportVerdict;
  lastContactAt: Date | null;
}

/** The agent's page: /projects/<project full path>/-/clusters/<agent name>. */
export function agentHref(projectFullPath: string, agentName: string): string {
  return `/projects/${projectFullPath.split("/").map(encodeURIComponent).join("/")}/-/clusters/${encodeURIComponent(agentName)}`;
}

/**
 * Every cluster (agent) in the projects the user can see, as lib/access's viewProject rule decides:
 * an administrator sees all; others see the agents of their personal projects and of the projects of
 * every group they belong to (any role). Newest contact first, never-connected agents last.
 */
export async function clustersVisibleTo(
  db: Db,
  user: Actor,
  /** The supported minors to judge against (today's by default). */
  minors: readonly SupportedMinor[] = currentSupportedMinors(),
): Promise<ClusterVersionRow[]> {
  const rows = await db.agent.findMany({
    where: user.isAdmin
      ? {}
      : { project: { OR: [{ ownerUserId: user.id }, { group: { members: { some: { userId: user.id } } } }] } },
    select: {
      id: true,
      name: true,
      kubernetesVersion: true,
      lastContactAt: true,
      project: { select: { fullPath: true } },
    },
  });
  return rows
    .map((a) => ({
      agentId: a.id,
      agentName: a.name,
      projectFullPath: a.project.fullPath,
      href: agentHref(a.project.fullPath, a.name),
      kubernetesVersion: a.kubernetesVersion,
      support: supportStatus(a.kubernetesVersion, minors),
      lastContactAt: a.lastContactAt,
    }))
    .sort(
      (x, y) =>
        (y.lastContactAt?.getTime() ?? -Infinity) - (x.lastContactAt?.getTime() ?? -Infinity) ||
        x.projectFullPath.localeCompare(y.projectFullPath) ||
        x.agentName.localeCompare(y.agentName),
    );
}
