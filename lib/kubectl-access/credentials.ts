// "Connect with kubectl": a personal kubeconfig for one agent (a fresh personal access token inside),
// and CI job credentials for every agent a project's pipeline may use, standing in for the CI system
// that hands a job its KUBECONFIG. Both return secrets exactly once; neither logs them.
import { findVisibleAgent, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { createCiJobToken, createPersonalAccessToken } from "@/lib/tokens/access-tokens";
import {
  buildKubeconfig,
  k8sProxyCaData,
  k8sProxyServerUrl,
  kubeconfigContextName,
  kubeconfigText,
  type KubeconfigEntry,
} from "./kubeconfig";
import { agentsUsableByProjectForCi, userAccessToAgent, type CiUsableAgent, type UserAgentAccess } from "./usable";

type Env = Record<string, string | undefined>;

/** How long the token inside a kubeconfig made on the agent page lives. */
export const KUBECONFIG_TOKEN_DAYS = 30;

export interface PersonalKubeconfig {
  tokenId: string;
  tokenName: string;
  expiresAt: string;
  contextName: string;
  server: string;
  kubeconfig: string;
  /** Whether the agent's user_access lets this user in right now (kas decides again on every use). */
  access: UserAgentAccess;
}

/** Creates a personal access token (k8s_proxy, 30 days) and the kubeconfig that uses it for this agent. */
export async function createPersonalKubeconfig(
  db: Db,
  actor: Actor,
  agentId: string,
  env: Env = process.env,
): Promise<PersonalKubeconfig> {
  const { agent } = await findVisibleAgent(db, actor, agentId);
  // Server and CA first, so that a misconfigured installation never leaves an unused token behind.
  const server = k8sProxyServerUrl(env);
  const caData = k8sProxyCaData(env);
  const contextName = kubeconfigContextName(agent.project.fullPath, agent.name);
  const tokenName = `kubectl ${contextName}`.slice(0, 100);
  const pat = await createPersonalAccessToken(db, actor, {
    name: tokenName,
    scopes: ["k8s_proxy"],
    expiresInDays: KUBECONFIG_TOKEN_DAYS,
  });
  const entry: KubeconfigEntry = {
    projectPath: agent.project.fullPath,
    agentName: agent.name,
    agentId: agent.id,
    credential: `pat:${agent.id}:${pat.token}`,
  };
  return {
    tokenId: pat.id,
    tokenName,
    expiresAt: pat.expiresAt.toISOString(),
    contextName,
    server,
    kubeconfig: kubeconfigText(buildKubeconfig({ server, caData, entries: [entry] })),
    access: await userAccessToAgent(db, actor.id, agent.id),
  };
}

export interface CiAgentCredential {
  agentId: string;
  agentName: string;
  projectPath: string;
  contextName: string;
  via: CiUsableAgent["via"];
  accessAs: CiUsableAgent["accessAs"];
  defaultNamespace: string | null;
  credential: string;
  /** A kubeconfig with this agent's context only. */
  kubeconfig: string;
}

export interface CiJobCredentials {
  tokenId: string;
  token: string;
  jobName: string;
  expiresAt: string;
  credentialsFor: CiAgentCredential[];
  /** One kubeconfig with a context per agent (what a job's KUBECONFIG variable holds); null without agents. */
  kubeconfig: string | null;
}

/** Mints a CI job token for a pipeline run of the project, with a credential and kubeconfig per usable agent. */
export async function mintCiJobCredentials(
  db: Db,
  actor: Actor,
  projectId: string,
  input: unknown,
  env: Env = process.env,
): Promise<CiJobCredentials> {
  const server = k8sProxyServerUrl(env);
  const caData = k8sProxyCaData(env);
  const minted = await createCiJobToken(db, actor, projectId, input);
  const row = await db.ciJobToken.findUniqueOrThrow({ where: { id: minted.id }, select: { jobName: true } });
  const answer = await ciJobCredentialsFor(db, projectId, { ...minted, jobName: row.jobName }, { server, caData });
  await recordAudit(db, {
    actorId: actor.id,
    action: "ci_job_token.created",
    targetType: "project",
    targetId: projectId,
    details: { tokenId: minted.id, jobName: row.jobName, agents: answer.credentialsFor.length },
  });
  return answer;
}

/**
 * The answer for a freshly minted CI job token: a credential and kubeconfig per agent the project's CI
 * jobs may use, and one kubeconfig with them all. Shared by the session route and the OIDC exchange.
 */
export async function ciJobCredentialsFor(
  db: Db,
  projectId: string,
  minted: { id: string; token: string; expiresAt: Date; jobName: string },
  proxy: { server: string; caData: string | null },
): Promise<CiJobCredentials> {
  const { server, caData } = proxy;
  const agents = await agentsUsableByProjectForCi(db, projectId);
  const entries = agents.map((a) => ({
    agent: a,
    entry: {
      projectPath: a.projectPath,
      agentName: a.agentName,
      agentId: a.agentId,
      credential: `ci:${a.agentId}:${minted.token}`,
      namespace: a.defaultNamespace,
    } satisfies KubeconfigEntry,
  }));
  return {
    tokenId: minted.id,
    token: minted.token,
    jobName: minted.jobName,
    expiresAt: minted.expiresAt.toISOString(),
    credentialsFor: entries.map(({ agent, entry }) => ({
      agentId: agent.agentId,
      agentName: agent.agentName,
      projectPath: agent.projectPath,
      contextName: kubeconfigContextName(agent.projectPath, agent.agentName),
      via: agent.via,
      accessAs: agent.accessAs,
      defaultNamespace: agent.defaultNamespace,
      credential: entry.credential,
      kubeconfig: kubeconfigText(buildKubeconfig({ server, caData, entries: [entry] })),
    })),
    kubeconfig: entries.length
      ? kubeconfigText(buildKubeconfig({ server, caData, entries: entries.map((e) => e.entry) }))
      : null,
  };
}
