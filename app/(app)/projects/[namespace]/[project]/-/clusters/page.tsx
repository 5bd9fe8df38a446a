// The project's agents (Kubernetes clusters) and those other projects share with it.
import type { Metadata } from "next";
import { AgentsPanel } from "@/components/agents/agents-panel";
import { ProjectTabs } from "@/components/projects/project-tabs";
import { PageHeader } from "@/components/shell/app-shell";
import { can } from "@/lib/access";
import { clustersPath } from "@/lib/agents";
import { visibleProject, type ProjectParams } from "../../lookups";

export const metadata: Metadata = { title: "Kubernetes clusters" };

export default async function ProjectClustersPage({ params }: { params: Promise<ProjectParams> }) {
  const { user, project, facts } = await visibleProject(params);
  return (
    <>
      <PageHeader
        title="Kubernetes clusters"
        description={`Agents connect ${project.fullPath} to Kubernetes clusters. Each runs in its cluster and dials out to Tether.`}
      />
      <ProjectTabs fullPath={project.fullPath} current="clusters" audit={can.viewProjectAudit(user, facts)} />
      <AgentsPanel projectId={project.id} callbackUrl={clustersPath(project.fullPath)} />
    </>
  );
}
