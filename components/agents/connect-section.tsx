// The agent's "Connect with kubectl" tab (a server component): reads what the tab shows on the server,
// then hands it to the interactive part; below it, the "Use in CI" snippets for the agent's project.
import { UseInCiPanel } from "@/components/ci-oidc/use-in-ci-panel";
import { settingsPath } from "@/components/projects/project-tabs";
import { ciPanelView } from "@/lib/ci-oidc";
import { connectView } from "@/lib/kubectl-access";
import type { CurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ConnectKubectl } from "./connect-kubectl";

export async function ConnectSection({ user, agentId }: { user: CurrentUser; agentId: string }) {
  const view = await connectView(db(), user, agentId);
  const ci = await ciPanelView(db(), user, view.project.id, view.contextName);
  return (
    <div className="space-y-10">
      <ConnectKubectl view={view} />
      <UseInCiPanel
        snippets={ci.snippets}
        projectPath={ci.project.fullPath}
        settingsHref={`${settingsPath(ci.project.fullPath)}#ci-identities-heading`}
        hasIdentities={ci.hasIdentities}
      />
    </div>
  );
}
