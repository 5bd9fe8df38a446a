// The agent's Tokens tab.
import { TokensPanel } from "@/components/agents/tokens-panel";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("tokens");

export default async function AgentTokensPage({ params }: { params: Promise<AgentParams> }) {
  const { agent, path } = await visibleAgent(params);
  return <TokensPanel agentId={agent.id} agentName={agent.name} callbackUrl={agentTabPath(path, "tokens")} />;
}
