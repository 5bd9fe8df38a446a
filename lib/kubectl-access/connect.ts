// What the agent's "Connect with kubectl" tab shows: where kubectl connects, the context name, whether
// the signed-in user may use the agent with a personal token (its user_access), and which projects'
// CI jobs may use it (its own project and its ci_access). Computed on the server for the page.
import { can, findVisibleAgent, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { accessAsOf, currentAgentConfig, type AccessAs } from "@/lib/agent-config";
import { addressWarnings, publicUrls, type AddressWarning } from "@/lib/public-urls";
import { kubeconfigContextName } from "./kubeconfig";
import { userAccessToAgent, type UserAgentAccess } from "./usable";

export interface CiGrant {
  kind: "project" | "group";
  path: string;
  accessAs: AccessAs;
  defaultNamespace: string | null;
  own: boolean;
}

export interface ConnectView {
  agentId: string;
  agentName: string;
  project: { id: string; fullPath: string };
  contextName: string;
  server: string;
  /** The proxy's CA is embedded in kubeconfigs (a self-signed certificate, or one set by the operator). */
  caEmbedded: boolean;
  /** The web's public URL, for the mint API example. */
  webUrl: string;
  /** What will not work with the public addresses as set: for a kubeconfig used elsewhere, and for CI jobs. */
  warnings: { kubeconfig: AddressWarning[]; ci: AddressWarning[] };
  access: UserAgentAccess;
  /** The user may mint CI job tokens for the agent's project (developer and above). */
  canMintForProject: boolean;
  ciGrants: CiGrant[];
}

export async function connectView(
  db: Db,
  actor: Actor,
  agentId: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ConnectView> {
  const { agent, facts } = await findVisibleAgent(db, actor, agentId);
  const { data } = await currentAgentConfig(db, agent.id, { ifInvalid: "empty" });
  const ciGrants: CiGrant[] = [
    { kind: "project", path: agent.project.fullPath, accessAs: "agent", defaultNamespace: null, own: true },
    ...(data.ci_access?.projects ?? [])
      .filter((p) => p.id.toLowerCase() !== agent.project.fullPath)
      .map((p): CiGrant => ({
        kind: "project",
        path: p.id.toLowerCase(),
        accessAs: accessAsOf(p.access_as),
        defaultNamespace: p.default_namespace ?? null,
        own: false,
      })),
    ...(data.ci_access?.groups ?? []).map((g): CiGrant => ({
      kind: "group",
      path: g.id.toLowerCase(),
      accessAs: accessAsOf(g.access_as),
      defaultNamespace: g.default_namespace ?? null,
      own: false,
    })),
  ];
  const urls = publicUrls(env);
  return {
    agentId: agent.id,
    agentName: agent.name,
    project: { id: agent.project.id, fullPath: agent.project.fullPath },
    contextName: kubeconfigContextName(agent.project.fullPath, agent.name),
    server: urls.k8sProxy.url,
    caEmbedded: Boolean(env.TETHER_KAS_K8S_PROXY_TLS_CERT_FILE?.trim()),
    webUrl: urls.web.url,
    warnings: { kubeconfig: addressWarnings(urls, "kubeconfig"), ci: addressWarnings(urls, "ci") },
    access: await userAccessToAgent(db, actor.id, agent.id),
    canMintForProject: can.runPipelines(actor, facts),
    ciGrants,
  };
}
