// Connection status: the words always say it; colour and the dot only repeat them.
import type { ConnectionStatus, ReceptiveRowState } from "@/lib/agents";

const STATUS_LABEL: Record<ConnectionStatus, string> = {
  connected: "Connected",
  not_connected: "Not connected",
  never_connected: "Never connected",
};

const LOOK: Record<ConnectionStatus, { dot: string; className: string }> = {
  connected: {
    dot: "bg-green-500",
    className:
      "border-green-300 bg-green-50 text-green-800 dark:border-green-800 dark:bg-green-950 dark:text-green-300",
  },
  not_connected: {
    dot: "bg-red-500",
    className: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300",
  },
  never_connected: {
    dot: "bg-zinc-400",
    className: "border-zinc-300 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
  },
};

export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const look = LOOK[status];
  return (
    <span
      data-status={status}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${look.className}`}
    >
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${look.dot}`} />
      {STATUS_LABEL[status]}
    </span>
  );
}

/** Marks an agent that kas dials (a receptive agent). */
export function ReceptiveBadge() {
  return (
    <span className="ml-2 inline-flex whitespace-nowrap rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
      Receptive
    </span>
  );
}

/**
 * Beside a receptive agent's connection badge: what kas meets when it dials, while the agent is not
 * connected ("kas cannot reach grpcs://…: connect ECONNREFUSED (retrying in 8 s)", "agent refused our key: …").
 */
export function ReceptiveState({ receptive, status }: { receptive: ReceptiveRowState; status: ConnectionStatus }) {
  if (status === "connected") return null;
  const text =
    receptive.state === "failing" && receptive.message
      ? receptive.message
      : receptive.state === "connected"
        ? "kas dialled the agent; waiting for its tunnel"
        : `Waiting for kas to dial ${receptive.url}`;
  return (
    <span
      data-receptive-state={receptive.state}
      className={`mt-1 block max-w-xs text-xs break-words ${
        receptive.state === "failing" ? "text-red-700 dark:text-red-400" : "text-zinc-500"
      }`}
    >
      {text}
    </span>
  );
}
