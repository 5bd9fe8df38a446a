// A project's overview, GitLab-style at /projects/<namespace>/<project>: its sections follow a "-"
// segment (-/clusters, -/audit). Projects the user may not see are 404.
import type { Metadata } from "next";
import Link from "next/link";
import { LinkButton } from "@/components/ui/link-button";
import { EmptyState } from "@/components/ui/states";
import { RecentPushes } from "@/components/gitops/recent-pushes";
import { FluxSummary } from "@/components/flux/flux-summary";
import { EditProjectForm, TransferProjectForm } from "@/components/projects/project-settings";
import { ProjectTabs, settingsPath } from "@/components/projects/project-tabs";
import { DeleteWithConfirmation } from "@/components/ui/delete-with-confirmation";
import { plural } from "@/components/ui/plural";
import { PageHeader } from "@/components/shell/app-shell";
import { can } from "@/lib/access";
import { clustersPath } from "@/lib/agents";
import { db } from "@/lib/db/client";
import { recentPushes } from "@/lib/gitops";
import { projectDeletionImpact, projectNamespaces } from "@/lib/projects";
import { visibleProject, type ProjectParams } from "./lookups";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectOverviewPage({ params }: { params: Promise<ProjectParams> }) {
  const { user, project, facts } = await visibleProject(params);
  const [agents, pushes] = await Promise.all([
    db().agent.count({ where: { projectId: project.id } }),
    recentPushes(db(), user, project.id),
  ]);
  const manage = can.manageProjectAgents(user, facts);
  const edit = can.editProject(user, facts);
  const remove = can.deleteProject(user, facts);
  const [impact, namespaces] = remove
    ? await Promise.all([projectDeletionImpact(db(), project.id), projectNamespaces(db(), user)])
    : [null, []];
  const owner = project.group ? (
    <Link href={`/groups/${project.group.path}`} className="text-indigo-600 hover:underline dark:text-indigo-400">
      {project.group.name}
    </Link>
  ) : (
    <span>@{project.ownerUser?.username}</span>
  );
  return (
    <>
      <PageHeader title={project.name} description={project.description || project.fullPath} />
      <ProjectTabs fullPath={project.fullPath} current="overview" audit={can.viewProjectAudit(user, facts)} />
      <p className="mb-8 text-sm text-zinc-600 dark:text-zinc-400">Owned by {owner}</p>
      <section aria-labelledby="clusters-heading">
        <h2 id="clusters-heading" className="mb-3 text-lg font-semibold">
          Kubernetes clusters
        </h2>
        {agents === 0 ? (
          <EmptyState
            title="No agents registered yet"
            action={manage ? <LinkButton href={clustersPath(project.fullPath)}>Register an agent</LinkButton> : null}
          >
            <p>
              {manage
                ? "Register an agent for this project, then install it in your cluster with the token you are shown once. The agent dials out to Tether, so the cluster can sit behind a firewall or NAT."
                : "A maintainer of this project can register an agent for a cluster."}
            </p>
          </EmptyState>
        ) : (
          <p className="text-sm">
            {agents === 1 ? "One agent is" : `${agents} agents are`} registered.{" "}
            <Link
              href={clustersPath(project.fullPath)}
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              See their status
            </Link>
          </p>
        )}
        {agents > 0 ? <FluxSummary projectId={project.id} /> : null}
      </section>
      <RecentPushes pushes={pushes} settingsHref={`${settingsPath(project.fullPath)}#repository-webhook-heading`} />
      {edit ? (
        <section
          aria-labelledby="project-settings-heading"
          className="mt-10 space-y-8 border-t border-zinc-200 pt-6 dark:border-zinc-800"
        >
          <h2 id="project-settings-heading" className="text-lg font-semibold">
            Project settings
          </h2>
          <EditProjectForm
            project={{
              id: project.id,
              name: project.name,
              path: project.path,
              fullPath: project.fullPath,
              description: project.description,
            }}
          />
          {impact ? (
            <>
              <div>
                <h3 className="mb-1 font-semibold">Transfer this project</h3>
                <p className="mb-3 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
                  Its agents, tokens and audit history move with it; its path and URL change.
                </p>
                <TransferProjectForm project={{ id: project.id, fullPath: project.fullPath }} namespaces={namespaces} />
              </div>
              <div>
                <h3 className="mb-2 font-semibold">Delete this project</h3>
                <DeleteWithConfirmation
                  url={`/api/projects/${project.id}`}
                  what="project"
                  name={project.fullPath}
                  afterHref="/projects"
                >
                  <p>
                    Deleting project {project.fullPath} deletes its {plural(impact.agents, "agent")} (their{" "}
                    {plural(impact.agentTokens, "active token")} stop working and the agents are disconnected) and ends
                    its {plural(impact.ciJobTokens, "CI job token")}.
                  </p>
                </DeleteWithConfirmation>
              </div>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
