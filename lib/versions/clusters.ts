// The clusters a signed-in user can see, with the Kubernetes version each one reported, for the
// "Your clusters" section of /kubernetes-versions.
import type { CurrentUser } from "@/lib/auth/session";

export interface ClusterVersionRow {
  agentId: string;
  agentName: string;
  projectFullPath: string;
  /** Link to the agent's page. */
  href: string;
  /** As the agent reported it (the cluster's gitVersion, e.g. "v1.33.4-gke.100"); null until it has. */
  kubernetesVersion: string | null;
  lastContactAt: Date | null;
}

/**
 * Every cluster (agent) the user can see, newest contact first.
 *
 * TODO(agents): there is no Agent model yet. When `Agent { id, name, projectId, kubernetesVersion,
 * lastContactAt }` lands, query the agents of the projects the user can view (lib/access decides) and
 * map them to rows here; the page and components/versions/your-clusters.tsx need no change.
 */
export async function clustersVisibleTo(user: CurrentUser): Promise<ClusterVersionRow[]> {
  void user;
  return [];
}
