// The agent's Receptive tab: kas dials the agent (a cluster that cannot reach Tether).
import { ReceptivePanel } from "@/components/agents/receptive-panel";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata } from "../tabs";

export const generateMetadata = agentTabMetadata("receptive");

export default async function AgentReceptivePage({ params }: { params: Promise<AgentParams> }) {
  const { agent } = await visibleAgent(params);
  return <ReceptivePanel agentId={agent.id} agentName={agent.name} />;
}
