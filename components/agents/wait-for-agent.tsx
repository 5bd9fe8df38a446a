"use client";
// The wizard's last step: waits for the agent installed with the commands above to connect, and says so
// as soon as kas sees it; after a minute without contact, the likely causes and how to read the agent's log.
import { useEffect, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { useAgent } from "./api";

/** Faster than the pages' poll: someone is watching this right after running the command. */
export const WAIT_POLL_MS = 2_000;
/** An agent that can connect does so within seconds of its pod starting; a minute means something is wrong. */
export const WAIT_HINT_AFTER_MS = 60_000;

export function WaitForAgent({
  agentId,
  kasAddress,
  logsCommand,
}: {
  agentId: string;
  kasAddress: string;
  logsCommand: string;
}) {
  // The tunnel is up a moment before the agent's report of its cluster is stored: poll until both are.
  const q = useAgent(agentId, {
    pollMs: WAIT_POLL_MS,
    until: (v) => v.agent.status === "connected" && v.agent.kubernetesVersion !== null && v.agent.nodeCount !== null,
  });
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), WAIT_HINT_AFTER_MS);
    return () => clearTimeout(t);
  }, []);
  const agent = q.data?.agent;

  if (agent?.status === "connected") {
    const reported = agent.kubernetesVersion !== null && agent.nodeCount !== null;
    return (
      <section
        aria-label="Agent connection"
        className="rounded-md border border-emerald-300 bg-emerald-50 px-4 py-3 dark:border-emerald-900 dark:bg-emerald-950"
      >
        <p role="status" aria-live="polite" className="text-sm font-medium text-emerald-900 dark:text-emerald-200">
          {reported
            ? `Connected: Kubernetes ${agent.kubernetesVersion}, ${agent.nodeCount} ${agent.nodeCount === 1 ? "node" : "nodes"}`
            : "Connected: reading the cluster's version…"}
        </p>
      </section>
    );
  }
  return (
    <section
      aria-label="Agent connection"
      className="space-y-3 rounded-md border border-zinc-200 px-4 py-3 dark:border-zinc-800"
    >
      <p role="status" aria-live="polite" className="flex items-center gap-3 text-sm font-medium">
        <span className="h-4 w-4 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-600" aria-hidden />
        {late ? "Still waiting for the agent to connect…" : "Waiting for the agent to connect…"}
      </p>
      {q.isError ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Could not ask Tether about the agent ({q.error.message}); trying again.
        </p>
      ) : null}
      {late ? (
        <div className="space-y-3 text-sm">
          <p>No contact for a minute. The most likely causes:</p>
          <ol aria-label="Likely causes" className="list-inside list-decimal space-y-1">
            <li>
              <strong>kas is not reachable from the cluster.</strong> The agent dials{" "}
              <code className="font-mono">{kasAddress}</code>: check that pods resolve and reach it (DNS, firewall, load
              balancer), and set TETHER_KAS_PUBLIC_AGENT_URL if it is not the right address.
            </li>
            <li>
              <strong>The token is wrong or revoked.</strong> The log says &ldquo;kas refused the agent token&rdquo;:
              check that the Secret or <code>config.token</code> holds the token shown above, or create a new one on the
              agent&apos;s Tokens tab.
            </li>
            <li>
              <strong>TLS does not match.</strong> <code>grpcs://</code> needs kas&apos;s certificate to be trusted by
              the agent (a private CA goes in with <code>--set-file config.caCert=ca.pem</code>); <code>grpc://</code>{" "}
              needs kas without TLS.
            </li>
          </ol>
          <p>The agent&apos;s log says which:</p>
          <pre
            aria-label="Agent log command"
            tabIndex={0}
            className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            <code>{logsCommand}</code>
          </pre>
          <CopyButton text={logsCommand} label="Copy: Agent log command" />
        </div>
      ) : null}
    </section>
  );
}
