// The project's settings: the repository webhook (pushes → Flux reconciles), project access tokens, trusted
// CI identities (OIDC) and the "Use in CI" snippets.
import type { Metadata } from "next";
import { AddressWarnings } from "@/components/agents/address-warnings";
import { TrustedIdentitiesPanel } from "@/components/ci-oidc/trusted-identities-panel";
import { UseInCiPanel } from "@/components/ci-oidc/use-in-ci-panel";
import { RepositoryWebhookPanel } from "@/components/gitops/repository-webhook-panel";
import { ProjectTabs, settingsPath } from "@/components/projects/project-tabs";
import { ProjectTokensPanel } from "@/components/projects/project-tokens-panel";
import { PageHeader } from "@/components/shell/app-shell";
import { can } from "@/lib/access";
import { ciPanelView } from "@/lib/ci-oidc";
import { db } from "@/lib/db/client";
import { manageProjectTokens } from "@/lib/project-tokens";
import { visibleProject, type ProjectParams } from "../../lookups";

export const metadata: Metadata = { title: "Settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<ProjectParams> }) {
  const { user, project, facts } = await visibleProject(params);
  const view = await ciPanelView(db(), user, project.id);
  return (
    <>
      <PageHeader
        title="Settings"
        description={`How pushes to ${project.fullPath}'s repository reach Flux, which tokens scripts use for it, and how its CI jobs prove who they are and get access to Kubernetes clusters.`}
      />
      <ProjectTabs fullPath={project.fullPath} current="settings" audit={can.viewProjectAudit(user, facts)} />
      <div className="space-y-12">
        <RepositoryWebhookPanel projectId={project.id} />
        <ProjectTokensPanel
          projectId={project.id}
          projectPath={project.fullPath}
          canManage={manageProjectTokens(user, facts)}
        />
        <TrustedIdentitiesPanel projectId={project.id} canManage={view.canManage} audience={view.audience} />
        <div className="space-y-4">
          <AddressWarnings warnings={view.warnings} label="CI address warnings" />
          <UseInCiPanel
            snippets={view.snippets}
            projectPath={project.fullPath}
            settingsHref={`${settingsPath(project.fullPath)}#ci-identities-heading`}
            hasIdentities={view.hasIdentities}
          />
        </div>
      </div>
    </>
  );
}
