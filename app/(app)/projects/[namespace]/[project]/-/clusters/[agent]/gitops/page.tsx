// The agent's GitOps tab: Flux's objects in its cluster, live, with Reconcile now, Suspend and Resume.
import { GitOpsView } from "@/components/flux/gitops-view";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("gitops");

export default async function AgentGitOpsPage({ params }: { params: Promise<AgentParams> }) {
  const { user, agent, path } = await visibleAgent(params);
  // How the viewer sees the cluster decides what the tab says when the cluster's RBAC refuses them.
  const { viaUserAccess } = await viewerIdentity(db(), user, agent.id);
  return (
    <GitOpsView
      agentId={agent.id}
      place={{ tokensHref: agentTabPath(path, "tokens"), sharingHref: agentTabPath(path, "sharing"), viaUserAccess }}
    />
  );
}
