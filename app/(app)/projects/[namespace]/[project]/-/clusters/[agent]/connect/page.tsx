// The agent's "Connect with kubectl" tab.
import { ConnectSection } from "@/components/agents/connect-section";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata } from "../tabs";

export const generateMetadata = agentTabMetadata("connect");

export default async function AgentConnectPage({ params }: { params: Promise<AgentParams> }) {
  const { user, agent } = await visibleAgent(params);
  return <ConnectSection user={user} agentId={agent.id} />;
}
