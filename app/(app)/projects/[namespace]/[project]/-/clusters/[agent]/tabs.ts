// The agent page's tabs, one route folder each; the overview is the agent's own path.
import type { Metadata } from "next";
import type { AgentParams } from "../../../lookups";

export const AGENT_TABS = ["cluster", "gitops", "tokens", "configuration", "sharing", "connect", "receptive"] as const;
export type AgentTab = "overview" | (typeof AGENT_TABS)[number];

export const AGENT_TAB_TITLES: Record<AgentTab, string> = {
  overview: "Agent",
  cluster: "Cluster",
  gitops: "GitOps",
  tokens: "Tokens",
  configuration: "Configuration",
  sharing: "Sharing",
  connect: "Connect with kubectl",
  receptive: "Receptive",
};

/** Where a tab of the agent at `agentPath` lives. */
export const agentTabPath = (agentPath: string, tab: AgentTab): string =>
  tab === "overview" ? agentPath : `${agentPath}/${tab}`;

/** A tab page's generateMetadata: its title names the agent as the URL does, without a database lookup. */
export function agentTabMetadata(tab: AgentTab) {
  return async ({ params }: { params: Promise<AgentParams> }): Promise<Metadata> => {
    const { agent } = await params;
    return { title: tab === "overview" ? `Agent ${agent}` : `${AGENT_TAB_TITLES[tab]} · ${agent}` };
  };
}
