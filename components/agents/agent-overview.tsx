"use client";
// The agent page's overview: live status, versions and what the agent last reported.
import { plural } from "@/components/ui/plural";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { VersionBadge } from "@/components/versions/version-badge";
import { useAgent } from "./api";
import { formatUtc } from "./format";
import { RelativeTime } from "./relative-time";
import { ConnectionBadge, ReceptiveBadge, ReceptiveState } from "./status-badge";
import { AgentVersion } from "./version-warning";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";

function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="border-b border-zinc-100 py-3 sm:grid sm:grid-cols-3 sm:gap-4 dark:border-zinc-900">
      <dt className="text-sm font-medium text-zinc-500">{term}</dt>
      <dd className="mt-1 text-sm sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  );
}

/** How many connections (agent pods) the agent has, and the kas replicas they reach, as kas's tunnel registry says. */
function Connections({ count, replicas }: { count: number | null; replicas: string[] }) {
  if (count === null) return <span className="text-zinc-500">Unknown (kas is not answering)</span>;
  if (count === 0) return <span className="text-zinc-500">None</span>;
  return (
    <span>
      {plural(count, "connection")}
      {replicas.length > 0 ? (
        <>
          {" "}
          through {replicas.length === 1 ? "kas replica" : `${replicas.length} kas replicas`}{" "}
          {replicas.map((r, i) => (
            <span key={r}>
              {i > 0 ? ", " : null}
              <span className="font-mono break-all">{r}</span>
            </span>
          ))}
        </>
      ) : null}
    </span>
  );
}

export function AgentOverview({
  agentId,
  tokensHref,
  callbackUrl,
}: {
  agentId: string;
  tokensHref: string;
  callbackUrl: string;
}) {
  const q = useAgent(agentId);
  useSignInWhenExpired(q.error, callbackUrl);

  if (q.isPending) return <LoadingState label="Loading the agent…" />;
  if (q.isError && !q.data)
    return <ErrorState title="Could not load the agent" message={q.error.message} onRetry={() => void q.refetch()} />;
  const { agent, kasVersion, skewMs, kasUnreachable } = q.data!;
  return (
    <div className="max-w-3xl">
      {q.isError ? (
        <p
          role="alert"
          className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Could not refresh the status ({q.error.message}); showing the last one received.
        </p>
      ) : null}
      {kasUnreachable ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Tether&apos;s agent server (kas) is not answering: statuses come from the agents&apos; last heartbeats.
        </p>
      ) : null}
      {agent.status === "never_connected" ? (
        <p className="mb-4 rounded-md border border-zinc-200 px-4 py-3 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          This agent has never connected.{" "}
          {agent.activeTokens === 0 ? (
            <>
              Create a token in the{" "}
              <a href={tokensHref} className="text-indigo-600 underline dark:text-indigo-400">
                Tokens
              </a>{" "}
              tab and install the agent with it.
            </>
          ) : (
            "Install it in your cluster with one of its tokens; it appears here as Connected within seconds."
          )}
        </p>
      ) : null}
      <dl aria-label="Agent details">
        <Item term="Status">
          <ConnectionBadge status={agent.status} />
          {agent.receptive ? (
            <>
              <ReceptiveBadge />
              <ReceptiveState receptive={agent.receptive} status={agent.status} />
            </>
          ) : null}
        </Item>
        <Item term="Connections">
          <Connections count={agent.connections} replicas={agent.kasReplicas} />
        </Item>
        <Item term="Last contact">
          <RelativeTime iso={agent.lastContactAt} skewMs={skewMs} />
        </Item>
        <Item term="Agent version">
          <AgentVersion version={agent.agentVersion} behind={agent.versionBehind} kasVersion={kasVersion} />
        </Item>
        <Item term="Kubernetes version">
          {agent.kubernetesVersion ? (
            <span className="inline-flex items-center gap-2">
              <span className="font-mono">{agent.kubernetesVersion}</span>
              <VersionBadge version={agent.kubernetesVersion} />
            </span>
          ) : (
            <span className="text-zinc-500">Not reported</span>
          )}
        </Item>
        <Item term="Nodes">{agent.nodeCount ?? <span className="text-zinc-500">Not reported</span>}</Item>
        <Item term="First connected">
          {agent.firstContactAt ? (
            <time dateTime={agent.firstContactAt}>{formatUtc(agent.firstContactAt)}</time>
          ) : (
            <span className="text-zinc-500">Never</span>
          )}
        </Item>
        <Item term="Active tokens">{agent.activeTokens}</Item>
        <Item term="Registered">
          <time dateTime={agent.createdAt}>{formatUtc(agent.createdAt)}</time>
          {agent.createdBy ? <> by @{agent.createdBy}</> : null}
        </Item>
        <Item term="kas version">
          <span className="font-mono">{kasVersion}</span>
        </Item>
      </dl>
    </div>
  );
}
