// The agent's version, with a warning when it is older than kas's.
export function AgentVersion({
  version,
  behind,
  kasVersion,
}: {
  version: string | null;
  behind: boolean;
  kasVersion: string;
}) {
  if (!version) return <span className="text-zinc-500">Not reported</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono">{version}</span>
      {behind ? (
        <span
          role="note"
          className="inline-flex items-center gap-1 rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300"
        >
          <span aria-hidden>!</span>
          Behind kas {kasVersion}: upgrade the agent
        </span>
      ) : null}
    </span>
  );
}
