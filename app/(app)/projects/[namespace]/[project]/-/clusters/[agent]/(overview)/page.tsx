// The agent's Overview tab.
import { AgentOverview } from "@/components/agents/agent-overview";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("overview");

export default async function AgentOverviewPage({ params }: { params: Promise<AgentParams> }) {
  const { agent, path } = await visibleAgent(params);
  return <AgentOverview agentId={agent.id} tokensHref={agentTabPath(path, "tokens")} callbackUrl={path} />;
}
