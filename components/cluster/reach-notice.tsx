"use client";
// What the cluster view says instead of figures when it has none to trust: the agent never connected, is
// not connected since a time, cannot be reached, or the viewer may list nothing. Each says what to do.
import { useAgent } from "@/components/agents/api";
import { formatUtc } from "@/components/agents/format";
import { clusterReach, type ClusterReach } from "./overview";
import type { LiveStatus } from "./use-live";

/** Where the notices send people, and how the viewer sees the cluster; the page knows both. */
export interface ClusterPlace {
  tokensHref: string;
  sharingHref: string;
  viaUserAccess: boolean;
}

/** The agent's own logs, whichever way it was installed (the chart and the manifest share the label). */
export const AGENT_LOGS_COMMAND = "kubectl logs -n tether-agent -l app.kubernetes.io/name=tether-agent --tail=100";

export function useClusterReach(
  agentId: string,
  place: ClusterPlace,
  live: { status: LiveStatus; received: boolean; refused: Map<number, string> },
  sources: number[],
): ClusterReach {
  const agent = useAgent(agentId).data?.agent ?? null;
  return clusterReach({
    agent,
    live: live.status,
    received: live.received,
    sources: sources.length,
    refused: sources.filter((i) => live.refused.has(i)).length,
    viaUserAccess: place.viaUserAccess,
  });
}

const linkClass = "font-medium text-indigo-600 underline dark:text-indigo-400";

function LogsHint() {
  return (
    <p className="mt-2">
      To see why, read the agent&apos;s log in the cluster:{" "}
      <code className="break-all rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800">
        {AGENT_LOGS_COMMAND}
      </code>
    </p>
  );
}

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section
      aria-label={title}
      data-testid="cluster-reach"
      className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
    >
      <h3 className="font-medium">{title}</h3>
      <div className="mt-1">{children}</div>
    </section>
  );
}

/** Nothing for "loading" and "ready": the view draws those itself. */
export function ReachNotice({ reach, place }: { reach: ClusterReach; place: ClusterPlace }) {
  switch (reach.state) {
    case "loading":
    case "ready":
      return null;
    case "never_connected":
      return (
        <Notice title="This agent has never connected">
          <p>There is nothing to show until the agent runs in your cluster and connects.</p>
          <p className="mt-2">
            {reach.hasTokens ? (
              <>
                Install it with one of its tokens (see the{" "}
                <a href={place.tokensHref} className={linkClass}>
                  Tokens
                </a>{" "}
                tab); the cluster appears here within seconds.
              </>
            ) : (
              <>
                Create a token in the{" "}
                <a href={place.tokensHref} className={linkClass}>
                  Tokens
                </a>{" "}
                tab and install the agent with it.
              </>
            )}
          </p>
        </Notice>
      );
    case "disconnected":
      return (
        <Notice
          title={
            reach.since
              ? `The agent has not been connected since ${formatUtc(reach.since)}`
              : "The agent is not connected"
          }
        >
          <p>
            {reach.stale
              ? "What follows is the cluster as it was last seen; it updates again once the agent reconnects."
              : "Nothing can be shown until it reconnects."}
          </p>
          <LogsHint />
        </Notice>
      );
    case "unreachable":
      return (
        <Notice title="The cluster cannot be reached through the agent yet">
          <p>The agent is connected, but its answers do not come through; the page keeps trying.</p>
          <LogsHint />
        </Notice>
      );
    case "no_access":
      return (
        <Notice title="You may not list anything shown here">
          {reach.viaUserAccess ? (
            <p>
              The agent&apos;s user_access lets you in, but the cluster&apos;s RBAC does not let your identity list
              these objects. Ask a cluster admin to bind a role to you.
            </p>
          ) : (
            <p>
              You see this cluster as yourself, and its RBAC does not let you list these objects. A maintainer can list
              this project or one of your groups in the agent&apos;s user_access (the{" "}
              <a href={place.sharingHref} className={linkClass}>
                Sharing
              </a>{" "}
              tab), or a cluster admin can bind a role to you.
            </p>
          )}
        </Notice>
      );
  }
}
