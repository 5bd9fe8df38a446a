// Every page under a project, GitLab-style: /projects/<group>/<project> is the overview, and what
// follows a "-" segment is a section: /-/clusters (the project's agents), /-/clusters/<agent> with
// /tokens, /configuration and /sharing (one agent), and /-/audit (the project's audit log, maintainers
// and owners). Projects, agents and pages the user may not see are 404.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentOverview } from "@/components/agents/agent-overview";
import { AgentsPanel } from "@/components/agents/agents-panel";
import { ConfigEditor } from "@/components/agents/config-editor";
import { SharingPanel } from "@/components/agents/sharing-panel";
import { ConnectSection } from "@/components/agents/connect-section";
import { TokensPanel } from "@/components/agents/tokens-panel";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/shell/app-shell";
import { EmptyState } from "@/components/ui/states";
import { LinkButton } from "@/components/ui/link-button";
import { IntentLink } from "@/components/ui/intent-link";
import { TabNav } from "@/components/ui/tab-nav";
import { LiveView } from "@/components/cluster/live-view";
import { agentPath, clustersPath, findVisibleAgentByName } from "@/lib/agents";
import { can } from "@/lib/access";
import { pageNumber, projectAuditLog } from "@/lib/audit/views";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { findVisibleProject } from "@/lib/projects";

type Route =
  | { kind: "overview"; projectPath: string }
  | { kind: "clusters"; projectPath: string }
  | { kind: "agent"; projectPath: string; agentName: string; tab: AgentTab }
  | { kind: "audit"; projectPath: string };

const AGENT_TABS = ["cluster", "tokens", "configuration", "sharing", "connect"] as const;
type AgentTab = "overview" | (typeof AGENT_TABS)[number];
const AGENT_TAB_TITLES: Record<AgentTab, string> = { overview: "Agent", cluster: "Cluster", tokens: "Tokens", configuration: "Configuration", sharing: "Sharing", connect: "Connect with kubectl" };

function parseRoute(segments: string[]): Route | null {
  const parts = segments.map(decodeURIComponent);
  const dash = parts.indexOf("-");
  if (dash === -1) return { kind: "overview", projectPath: parts.join("/") };
  const projectPath = parts.slice(0, dash).join("/");
  const rest = parts.slice(dash + 1);
  if (projectPath && rest.length === 1 && rest[0] === "audit") return { kind: "audit", projectPath };
  if (!projectPath || rest[0] !== "clusters") return null;
  if (rest.length === 1) return { kind: "clusters", projectPath };
  if (rest.length === 2) return { kind: "agent", projectPath, agentName: rest[1]!, tab: "overview" };
  const tab = AGENT_TABS.find((t) => t === rest[2]);
  if (rest.length === 3 && tab) return { kind: "agent", projectPath, agentName: rest[1]!, tab };
  return null;
}

export async function generateMetadata({ params }: { params: Promise<{ fullPath: string[] }> }): Promise<Metadata> {
  const route = parseRoute((await params).fullPath);
  if (!route) return { title: "Page not found" };
  if (route.kind === "clusters") return { title: "Kubernetes clusters" };
  if (route.kind === "agent") return { title: route.tab === "overview" ? `Agent ${route.agentName}` : `${AGENT_TAB_TITLES[route.tab]} · ${route.agentName}` };
  if (route.kind === "audit") return { title: "Audit log" };
  return { title: "Project" };
}

const orNull = <T,>(p: Promise<T>): Promise<T | null> => p.catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));

function ProjectTabs({ fullPath, current, audit }: { fullPath: string; current: "overview" | "clusters" | "audit"; audit: boolean }) {
  return (
    <TabNav
      label="Project"
      current={current}
      items={[
        { key: "overview", label: "Overview", href: `/projects/${fullPath}` },
        { key: "clusters", label: "Kubernetes clusters", href: clustersPath(fullPath) },
        ...(audit ? [{ key: "audit", label: "Audit log", href: auditPath(fullPath) }] : []),
      ]}
    />
  );
}

const auditPath = (fullPath: string) => `/projects/${fullPath}/-/audit`;

async function ProjectOverview({ user, projectPath }: { user: CurrentUser; projectPath: string }) {
  const found = await orNull(findVisibleProject(db(), user, projectPath));
  if (!found) notFound();
  const { project, facts } = found;
  const agents = await db().agent.count({ where: { projectId: project.id } });
  const manage = can.manageProjectAgents(user, facts);
  const owner = project.group ? (
    <Link href={`/groups/${project.group.path}`} className="text-indigo-600 hover:underline dark:text-indigo-400">{project.group.name}</Link>
  ) : (
    <span>@{project.ownerUser?.username}</span>
  );
  return (
    <>
      <PageHeader title={project.name} description={project.description || project.fullPath} />
      <ProjectTabs fullPath={project.fullPath} current="overview" audit={can.viewProjectAudit(user, facts)} />
      <p className="mb-8 text-sm text-zinc-600 dark:text-zinc-400">Owned by {owner}</p>
      <section aria-labelledby="clusters-heading">
        <h2 id="clusters-heading" className="mb-3 text-lg font-semibold">Kubernetes clusters</h2>
        {agents === 0 ? (
          <EmptyState title="No agents registered yet" action={manage ? <LinkButton href={clustersPath(project.fullPath)}>Register an agent</LinkButton> : null}>
            <p>
              {manage
                ? "Register an agent for this project, then install it in your cluster with the token you are shown once. The agent dials out to Tether, so the cluster can sit behind a firewall or NAT."
                : "A maintainer of this project can register an agent for a cluster."}
            </p>
          </EmptyState>
        ) : (
          <p className="text-sm">
            {agents === 1 ? "One agent is" : `${agents} agents are`} registered.{" "}
            <Link href={clustersPath(project.fullPath)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">See their status</Link>
          </p>
        )}
      </section>
    </>
  );
}

async function ProjectClusters({ user, projectPath }: { user: CurrentUser; projectPath: string }) {
  const found = await orNull(findVisibleProject(db(), user, projectPath));
  if (!found) notFound();
  const { project, facts } = found;
  return (
    <>
      <PageHeader title="Kubernetes clusters" description={`Agents connect ${project.fullPath} to Kubernetes clusters. Each runs in its cluster and dials out to Tether.`} />
      <ProjectTabs fullPath={project.fullPath} current="clusters" audit={can.viewProjectAudit(user, facts)} />
      <AgentsPanel projectId={project.id} callbackUrl={clustersPath(project.fullPath)} />
    </>
  );
}

async function ProjectAudit({ user, projectPath, page }: { user: CurrentUser; projectPath: string; page: number }) {
  // Developers, reporters and outsiders get 404, as for any page they may not see.
  const log = await orNull(projectAuditLog(db(), user, projectPath, page));
  if (!log) notFound();
  const base = auditPath(log.project.fullPath);
  return (
    <>
      <PageHeader title="Audit log" description={`What happened in ${log.project.fullPath} and to its agents: tokens, configuration and sharing changes, Kubernetes API access.`} />
      <ProjectTabs fullPath={log.project.fullPath} current="audit" audit />
      <AuditLog log={log} base={base} caption={`Audit log of ${log.project.fullPath}`} />
    </>
  );
}

async function AgentPage({ user, projectPath, agentName, tab }: { user: CurrentUser; projectPath: string; agentName: string; tab: AgentTab }) {
  const found = await orNull(findVisibleAgentByName(db(), user, projectPath, agentName));
  if (!found) notFound();
  const { project, agent } = found;
  const base = agentPath(project.fullPath, agent.name);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <IntentLink href={`/projects/${project.fullPath}`} className="hover:underline">{project.fullPath}</IntentLink>
        {" / "}
        <IntentLink href={clustersPath(project.fullPath)} className="hover:underline">Kubernetes clusters</IntentLink>
      </nav>
      <PageHeader title={agent.name} description="Agent for Kubernetes" />
      <TabNav
        label="Agent"
        current={tab}
        items={[
          { key: "overview", label: "Overview", href: base },
          ...AGENT_TABS.map((t) => ({ key: t, label: AGENT_TAB_TITLES[t], href: `${base}/${t}` })),
        ]}
      />
      {tab === "overview" ? (
        <AgentOverview agentId={agent.id} tokensHref={`${base}/tokens`} callbackUrl={base} />
      ) : tab === "cluster" ? (
        <LiveView agentId={agent.id} />
      ) : tab === "connect" ? (
        <ConnectSection user={user} agentId={agent.id} />
      ) : tab === "tokens" ? (
        <TokensPanel agentId={agent.id} agentName={agent.name} callbackUrl={`${base}/tokens`} />
      ) : tab === "configuration" ? (
        <ConfigEditor agentId={agent.id} agentName={agent.name} callbackUrl={`${base}/configuration`} sharingHref={`${base}/sharing`} />
      ) : (
        <SharingPanel agentId={agent.id} agentName={agent.name} callbackUrl={`${base}/sharing`} configurationHref={`${base}/configuration`} />
      )}
    </>
  );
}

export default async function ProjectPage({ params, searchParams }: { params: Promise<{ fullPath: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const segments = (await params).fullPath;
  const user = await requireUser(`/projects/${segments.join("/")}`);
  const route = parseRoute(segments);
  if (!route) notFound();
  switch (route.kind) {
    case "overview":
      return <ProjectOverview user={user} projectPath={route.projectPath} />;
    case "clusters":
      return <ProjectClusters user={user} projectPath={route.projectPath} />;
    case "agent":
      return <AgentPage user={user} projectPath={route.projectPath} agentName={route.agentName} tab={route.tab} />;
    case "audit":
      return <ProjectAudit user={user} projectPath={route.projectPath} page={pageNumber((await searchParams).page)} />;
  }
}
