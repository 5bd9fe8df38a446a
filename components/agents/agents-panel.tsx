"use client";
// A project's "Kubernetes clusters": its agents with live status, the agents other projects share with
// it (read-only: "Shared from <project>"), and (for maintainers) the register
// wizard. Polls the JSON route every few seconds, so rows change without a reload.
import Link from "next/link";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { VersionBadge } from "@/components/versions/version-badge";
import type { AgentRow, SharedAgentRow } from "@/lib/agents";
import { useProjectAgents } from "./api";
import { RegisterAgentWizard } from "./register-wizard";
import { RelativeTime } from "./relative-time";
import { ConnectionBadge, ReceptiveBadge, ReceptiveState } from "./status-badge";
import { AgentVersion } from "./version-warning";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";

export function AgentsPanel({ projectId, callbackUrl }: { projectId: string; callbackUrl: string }) {
  const q = useProjectAgents(projectId);
  const [registering, setRegistering] = useState(false);
  const registerRef = useRef<HTMLButtonElement>(null);
  const closeWizard = () => {
    setRegistering(false);
    // Focus goes back to the button that opened the wizard, not to the top of the page.
    requestAnimationFrame(() => registerRef.current?.focus());
  };
  useSignInWhenExpired(q.error, callbackUrl);

  if (q.isPending) return <LoadingState label="Loading agents…" />;
  if (q.isError && !q.data)
    return <ErrorState title="Could not load the agents" message={q.error.message} onRetry={() => void q.refetch()} />;
  const data = q.data!;
  const registerButton =
    data.canManage && !registering ? (
      <Button ref={registerRef} type="button" onClick={() => setRegistering(true)}>
        Register an agent
      </Button>
    ) : null;

  return (
    <div>
      {q.isError ? (
        <p
          role="alert"
          className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Could not refresh the statuses ({q.error.message}); showing the last ones received.
        </p>
      ) : null}
      {data.kasUnreachable ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Tether&apos;s agent server (kas) is not answering: statuses come from the agents&apos; last heartbeats.
        </p>
      ) : null}
      {registering ? <RegisterAgentWizard projectId={projectId} onClose={closeWizard} /> : null}

      {data.agents.length === 0 && data.shared.length === 0 ? (
        <EmptyState title="No agents yet — register one to connect a cluster" action={registerButton}>
          <p>
            {data.canManage
              ? "An agent runs in your cluster and dials out to Tether, so the cluster can sit behind a firewall or NAT. Register one, then install it with the token you are shown once."
              : "A maintainer of this project can register an agent for a cluster."}
          </p>
        </EmptyState>
      ) : (
        <>
          {registerButton || data.agents.length === 0 ? (
            <div className="mb-4 flex items-center justify-between gap-4">
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {data.agents.length === 0
                  ? "No agents are registered in this project; the ones below are shared with it by other projects."
                  : ""}
              </p>
              {registerButton}
            </div>
          ) : null}
          <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                Agents of this project and agents shared with it, with their connection status (updated every few
                seconds)
              </caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Agent
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Last contact
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Agent version
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Kubernetes version
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Nodes
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
                {data.agents.map((a) => (
                  <tr key={a.id} data-agent={a.name}>
                    <th scope="row" className="px-4 py-3 font-normal">
                      <Link
                        href={a.href}
                        className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
                      >
                        {a.name}
                      </Link>
                      {a.receptive ? <ReceptiveBadge /> : null}
                    </th>
                    <AgentStateCells agent={a} skewMs={data.skewMs} kasVersion={data.kasVersion} />
                  </tr>
                ))}
                {data.shared.map((a) => (
                  <tr key={a.id} data-agent={a.name} data-shared-from={a.sharedFrom}>
                    <th scope="row" className="px-4 py-3 font-normal">
                      {a.href ? (
                        <Link
                          href={a.href}
                          className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
                        >
                          {a.name}
                        </Link>
                      ) : (
                        <span className="font-medium">{a.name}</span>
                      )}
                      {a.receptive ? <ReceptiveBadge /> : null}
                      <span className="block text-xs text-zinc-500">
                        Shared from {a.sharedFrom}
                        {" · "}
                        {a.access.map((x) => (x === "ci_access" ? "CI access" : "User access")).join(", ")}
                      </span>
                    </th>
                    <AgentStateCells agent={a} skewMs={data.skewMs} kasVersion={data.kasVersion} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** The state columns an agent's row shows, whether the agent is the project's own or shared with it. */
function AgentStateCells({
  agent: a,
  skewMs,
  kasVersion,
}: {
  agent: AgentRow | SharedAgentRow;
  skewMs: number;
  kasVersion: string;
}) {
  return (
    <>
      <td className="px-4 py-3">
        <ConnectionBadge status={a.status} />
        {a.receptive ? <ReceptiveState receptive={a.receptive} status={a.status} /> : null}
      </td>
      <td className="px-4 py-3">
        <RelativeTime iso={a.lastContactAt} skewMs={skewMs} />
      </td>
      <td className="px-4 py-3">
        <AgentVersion version={a.agentVersion} behind={a.versionBehind} kasVersion={kasVersion} />
      </td>
      <td className="px-4 py-3">
        {a.kubernetesVersion ? (
          <span className="inline-flex items-center gap-2">
            <span className="font-mono">{a.kubernetesVersion}</span>
            <VersionBadge version={a.kubernetesVersion} />
          </span>
        ) : (
          <span className="text-zinc-500">Not reported</span>
        )}
      </td>
      <td className="px-4 py-3">{a.nodeCount ?? <span className="text-zinc-500">—</span>}</td>
    </>
  );
}
