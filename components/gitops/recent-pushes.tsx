// The project page's recent pushes (server-rendered): each push the repository webhook recorded, and per
// agent what became of it, in words.
import Link from "next/link";
import { EmptyState } from "@/components/ui/states";
import type { PushOutcomeState, RecentPush } from "@/lib/gitops/recent";

function outcomeText(a: { state: PushOutcomeState; objects: number; message: string | null }): string {
  switch (a.state) {
    case "reconciled":
      return `reconciled ${a.objects} GitRepository ${a.objects === 1 ? "object" : "objects"}`;
    case "no_match":
      return "no GitRepository follows this repository and ref";
    case "disabled":
      return "Flux is off in the agent's configuration";
    case "not_connected":
      return `agent not connected; it gets the push if it connects within 10 minutes${a.message ? ` (${a.message})` : ""}`;
    case "notified":
      return "handed to the agent, waiting for its answer";
    case "pending":
      return "being handed to the agent";
    case "expired":
      return "not delivered: the agent did not answer within 10 minutes";
    case "error":
      return `failed: ${a.message ?? "no reason given"}`;
  }
}

const tone: Record<PushOutcomeState, string> = {
  reconciled: "text-green-700 dark:text-green-400",
  no_match: "text-zinc-600 dark:text-zinc-400",
  disabled: "text-zinc-600 dark:text-zinc-400",
  not_connected: "text-amber-700 dark:text-amber-400",
  notified: "text-zinc-600 dark:text-zinc-400",
  pending: "text-zinc-600 dark:text-zinc-400",
  expired: "text-red-700 dark:text-red-400",
  error: "text-red-700 dark:text-red-400",
};

export function RecentPushes({ pushes, settingsHref }: { pushes: RecentPush[]; settingsHref: string }) {
  return (
    <section aria-labelledby="recent-pushes-heading" className="mt-10">
      <h2 id="recent-pushes-heading" className="mb-3 text-lg font-semibold">
        Recent pushes
      </h2>
      {pushes.length === 0 ? (
        <EmptyState title="No pushes received">
          <p>
            Add the project&apos;s{" "}
            <Link href={settingsHref} className="text-indigo-600 hover:underline dark:text-indigo-400">
              repository webhook
            </Link>{" "}
            to your forge, and each push makes the agents ask Flux to reconcile at once.
          </p>
        </EmptyState>
      ) : (
        <ul
          aria-label="Recent pushes"
          className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {pushes.map((p) => (
            <li key={p.id} className="space-y-2 p-4 text-sm">
              <p className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium">{p.ref.replace(/^refs\/(heads|tags)\//, "")}</span>
                <code className="font-mono" title={p.after}>
                  {p.after.slice(0, 8)}
                </code>
                <span className="break-all text-zinc-600 dark:text-zinc-400">{p.repositoryUrl}</span>
                <time dateTime={p.receivedAt} className="text-xs text-zinc-500">
                  {new Date(p.receivedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC
                </time>
              </p>
              {p.agents.length === 0 ? (
                <p className="text-zinc-600 dark:text-zinc-400">
                  No agent concerned: this project has none and none shares with it.
                </p>
              ) : (
                <ul aria-label="Agents" className="space-y-1">
                  {p.agents.map((a) => (
                    <li key={a.agentId}>
                      <span className="font-medium">{a.agentName}</span>:{" "}
                      <span className={tone[a.state]}>{outcomeText(a)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
