// The agent's Cluster (live view) tab.
import { LiveView } from "@/components/cluster/live-view";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata } from "../tabs";

export const generateMetadata = agentTabMetadata("cluster");

export default async function AgentClusterPage({ params }: { params: Promise<AgentParams> }) {
  const { agent } = await visibleAgent(params);
  return <LiveView agentId={agent.id} />;
}
