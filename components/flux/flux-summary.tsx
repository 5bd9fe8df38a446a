"use client";
// The project page's GitOps summary: per agent of the project, how many Flux objects the viewer sees in its
// cluster and how many are not Ready, linking to the agent's GitOps tab. Asked through the tunnel as the
// viewer every 30 s while the page is open; an agent that is not connected says so instead of a count.
import { useQuery } from "@tanstack/react-query";
import { useProjectAgents } from "@/components/agents/api";
import { fetchJson } from "@/components/providers";
import { IntentLink } from "@/components/ui/intent-link";
import { plural } from "@/components/ui/plural";
import type { AgentRow } from "@/lib/agents";
import type { FluxAgentSummary } from "@/lib/flux-view/discover";
import { fluxKeys } from "./gitops-view";

const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

export function FluxSummary({ projectId }: { projectId: string }) {
  const agents = useProjectAgents(projectId);
  if (agents.isPending) return <p className="text-sm text-zinc-500">Loading the agents&apos; GitOps state…</p>;
  if (agents.isError)
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        The agents could not be loaded: {agents.error.message}
      </p>
    );
  if (agents.data.agents.length === 0) return null;
  return (
    <section aria-labelledby="gitops-summary-heading" className="mt-6">
      <h3 id="gitops-summary-heading" className="mb-2 font-semibold">
        GitOps (Flux)
      </h3>
      <ul className="space-y-1 text-sm">
        {agents.data.agents.map((a) => (
          <AgentFluxLine key={a.id} agent={a} />
        ))}
      </ul>
    </section>
  );
}

function AgentFluxLine({ agent }: { agent: AgentRow }) {
  const connected = agent.status === "connected";
  const summary = useQuery({
    queryKey: fluxKeys.summary(agent.id),
    queryFn: () => fetchJson<FluxAgentSummary>(`/api/agents/${encodeURIComponent(agent.id)}/flux/summary`),
    enabled: connected,
    refetchInterval: 30_000,
    retry: 1,
  });
  const href = `${agent.href}/gitops`;
  let text: React.ReactNode;
  if (agent.status === "never_connected") text = <span className="text-zinc-500">has never connected</span>;
  else if (!connected && !summary.data) text = <span className="text-zinc-500">is not connected</span>;
  else if (summary.isPending) text = <span className="text-zinc-500">asking the cluster…</span>;
  else if (summary.isError)
    text = <span className="text-red-700 dark:text-red-300">could not be asked: {summary.error.message}</span>;
  else if (!summary.data.installed) text = <span className="text-zinc-500">Flux is not installed</span>;
  else
    text = (
      <>
        {plural(summary.data.objects, "Flux object")}
        {", "}
        <span className={summary.data.notReady ? "font-medium text-red-700 dark:text-red-300" : ""}>
          {summary.data.notReady} not Ready
        </span>
        {summary.data.suspended ? `, ${summary.data.suspended} suspended` : ""}
        {summary.data.refused.length ? (
          <span className="text-zinc-500"> (you may not list {summary.data.refused.join(", ")})</span>
        ) : null}
        {!connected ? <span className="text-zinc-500"> (as last seen; not connected now)</span> : null}
      </>
    );
  return (
    <li data-agent={agent.name} className="flex flex-wrap gap-x-2">
      <IntentLink href={href} className={linkClass}>
        {agent.name}
      </IntentLink>
      <span>{text}</span>
    </li>
  );
}
