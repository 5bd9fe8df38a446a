// One agent: the breadcrumb back to its project, its name, and its tabs (Overview, Cluster, GitOps, Tokens,
// Configuration, Sharing, Connect with kubectl), each a route folder below. Agents of projects the user
// may not see are 404, here, before any tab streams (so the response's status is 404 too).
import type { ReactNode } from "react";
import { PageHeader } from "@/components/shell/app-shell";
import { IntentLink } from "@/components/ui/intent-link";
import { SegmentTabNav } from "@/components/ui/segment-tab-nav";
import { clustersPath } from "@/lib/agents";
import { projectPath } from "@/components/projects/project-tabs";
import { visibleAgent, type AgentParams } from "../../../lookups";
import { AGENT_TABS, AGENT_TAB_TITLES, agentTabPath } from "./tabs";

export default async function AgentLayout({ params, children }: { params: Promise<AgentParams>; children: ReactNode }) {
  const { project, agent, path } = await visibleAgent(params);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <IntentLink href={projectPath(project.fullPath)} className="hover:underline">
          {project.fullPath}
        </IntentLink>
        {" / "}
        <IntentLink href={clustersPath(project.fullPath)} className="hover:underline">
          Kubernetes clusters
        </IntentLink>
      </nav>
      <PageHeader title={agent.name} description="Agent for Kubernetes" />
      <SegmentTabNav
        label="Agent"
        items={[
          { key: "overview", label: "Overview", href: path },
          ...AGENT_TABS.map((t) => ({ key: t, label: AGENT_TAB_TITLES[t], href: agentTabPath(path, t) })),
        ]}
      />
      {children}
    </>
  );
}
