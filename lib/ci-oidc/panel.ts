// What the "Use in CI" panel and the trusted identities section show, computed on the server: the
// snippets filled with this installation's public URL, whether the project trusts any identity yet, and
// whether the viewer may manage them.
import { can, findVisibleProject, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { addressWarnings, publicUrls, type AddressWarning } from "@/lib/public-urls";
import { apiTokenSnippet, githubActionsSnippet, gitlabCiSnippet } from "./snippets";

export interface CiPanelView {
  project: { id: string; fullPath: string };
  /** The audience the snippets ask for, and the form's default: this installation's public URL. */
  audience: string;
  snippets: { github: string; gitlab: string; apiToken: string };
  hasIdentities: boolean;
  canManage: boolean;
  warnings: AddressWarning[];
}

export async function ciPanelView(
  db: Db,
  actor: Actor,
  projectId: string,
  contextName?: string,
  env: Record<string, string | undefined> = process.env,
): Promise<CiPanelView> {
  const { project, facts } = await findVisibleProject(db, actor, { id: projectId });
  const urls = publicUrls(env);
  const input = { webUrl: urls.web.url, projectPath: project.fullPath, projectId: project.id, contextName };
  return {
    project: { id: project.id, fullPath: project.fullPath },
    audience: urls.web.url.replace(/\/+$/, ""),
    snippets: { github: githubActionsSnippet(input), gitlab: gitlabCiSnippet(input), apiToken: apiTokenSnippet(input) },
    hasIdentities: (await db.ciTrustedIdentity.count({ where: { projectId } })) > 0,
    canManage: can.manageProjectAgents(actor, facts),
    warnings: addressWarnings(urls, "ci"),
  };
}
