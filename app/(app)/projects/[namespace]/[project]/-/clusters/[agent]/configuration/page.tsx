// The agent's Configuration tab.
import { ConfigEditor } from "@/components/agents/config-editor";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("configuration");

export default async function AgentConfigurationPage({ params }: { params: Promise<AgentParams> }) {
  const { agent, path } = await visibleAgent(params);
  return (
    <ConfigEditor
      agentId={agent.id}
      agentName={agent.name}
      callbackUrl={agentTabPath(path, "configuration")}
      sharingHref={agentTabPath(path, "sharing")}
    />
  );
}
