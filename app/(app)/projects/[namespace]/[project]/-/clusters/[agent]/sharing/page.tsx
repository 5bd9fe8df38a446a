// The agent's Sharing tab.
import { SharingPanel } from "@/components/agents/sharing-panel";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("sharing");

export default async function AgentSharingPage({ params }: { params: Promise<AgentParams> }) {
  const { agent, path } = await visibleAgent(params);
  return (
    <SharingPanel
      agentId={agent.id}
      agentName={agent.name}
      callbackUrl={agentTabPath(path, "sharing")}
      configurationHref={agentTabPath(path, "configuration")}
    />
  );
}
