// The agent's Cluster (live view) tab.
import { LiveView } from "@/components/cluster/live-view";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("cluster");

export default async function AgentClusterPage({ params }: { params: Promise<AgentParams> }) {
  const { user, agent, path } = await visibleAgent(params);
  // How the viewer sees the cluster decides what the view says when the cluster's RBAC refuses them.
  const { viaUserAccess } = await viewerIdentity(db(), user, agent.id);
  return (
    <LiveView
      agentId={agent.id}
      place={{ tokensHref: agentTabPath(path, "tokens"), sharingHref: agentTabPath(path, "sharing"), viaUserAccess }}
    />
  );
}
