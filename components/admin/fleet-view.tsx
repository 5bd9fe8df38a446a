"use client";
// The administrator's fleet: kas's health, every agent with its live state (polled), filters and the sort
// order kept in the URL (so a filtered view can be shared and survives a reload), every project and group.
// The page asks for the whole fleet and filters and sorts it here with lib/fleet's own functions, so a
// click answers at once and the REST route's filters mean exactly the same.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { RelativeTime } from "@/components/agents/relative-time";
import { ConnectionBadge } from "@/components/agents/status-badge";
import { fetchJson } from "@/components/providers";
import { DataTable } from "@/components/ui/data-table";
import { plural } from "@/components/ui/plural";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";
import { StatusBadge } from "@/components/versions/version-badge";
import { Invalid } from "@/lib/errors";
import {
  filterFleetAgents,
  fleetQueryString,
  isFleetFiltered,
  parseFleetQuery,
  sortFleetAgents,
  type FleetAgent,
  type FleetQuery,
  type FleetSortKey,
  type FleetView as FleetData,
} from "@/lib/fleet/client";

const POLL_MS = 5_000;
const link =
  "font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400";
const note = "rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200";

/**
 * The query in the URL; a bad value is shown and the view falls back to no filter. The component keeps it
 * in state and writes it to the address with history.replaceState (no server render per click); a
 * navigation to the page with another query (a project's "show its agents" link) replaces it.
 */
function useFleetQuery(): [FleetQuery, string | null, (patch: Partial<FleetQuery>) => void] {
  const params = useSearchParams();
  const fromNavigation = params.toString();
  const [raw, setRaw] = useState(fromNavigation);
  const [seen, setSeen] = useState(fromNavigation);
  if (seen !== fromNavigation) {
    setSeen(fromNavigation);
    setRaw(fromNavigation);
  }
  let query: FleetQuery;
  let invalid: string | null = null;
  try {
    query = parseFleetQuery(new URLSearchParams(raw));
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    invalid = e.field ? `${e.field}: ${e.message}` : e.message;
    query = parseFleetQuery({});
  }
  const latest = useRef(raw);
  useEffect(() => {
    latest.current = raw;
  }, [raw]);
  const update = useCallback((patch: Partial<FleetQuery>) => {
    let current: FleetQuery;
    try {
      current = parseFleetQuery(new URLSearchParams(latest.current));
    } catch {
      current = parseFleetQuery({});
    }
    const qs = fleetQueryString({ ...current, ...patch });
    // Two changes before a render (typing fast) each start from the one before.
    latest.current = qs;
    setRaw(qs);
    window.history.replaceState(null, "", qs ? `${window.location.pathname}?${qs}` : window.location.pathname);
  }, []);
  return [query, invalid, update];
}

export function FleetView() {
  const [query, invalid, setQuery] = useFleetQuery();
  const q = useQuery({
    queryKey: ["admin-fleet"],
    queryFn: async () => {
      const data = await fetchJson<FleetData>("/api/admin/fleet");
      return { ...data, skewMs: Date.parse(data.now) - Date.now() };
    },
    refetchInterval: POLL_MS,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
  useSignInWhenExpired(q.error, "/admin/fleet");

  if (q.isPending) return <LoadingState label="Loading the fleet…" />;
  if (q.isError && !q.data)
    return <ErrorState title="Could not load the fleet" message={q.error.message} onRetry={() => void q.refetch()} />;
  const data = q.data!;
  const agents = sortFleetAgents(filterFleetAgents(data.agents, query), query);

  return (
    <div className="space-y-8">
      {q.isError ? (
        <p role="alert" className={note}>
          Could not refresh the fleet ({q.error.message}); showing what was received last.
        </p>
      ) : null}
      <KasHealth data={data} />
      <section aria-labelledby="fleet-agents-heading">
        <h2 id="fleet-agents-heading" className="mb-3 text-lg font-semibold">
          Agents
        </h2>
        {data.counts.agents === 0 ? (
          <EmptyState title="No agents registered yet">
            <p>
              Agents are registered in a project (its Kubernetes clusters page). Every agent of every project shows here
              with its connection state and versions.
            </p>
          </EmptyState>
        ) : (
          <>
            <Filters data={data} query={query} setQuery={setQuery} />
            {invalid ? (
              <p role="alert" className={`mb-3 ${note}`}>
                The address holds a filter Tether cannot read ({invalid}); showing every agent.
              </p>
            ) : null}
            <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
              {isFleetFiltered(query)
                ? `${agents.length} of ${plural(data.counts.agents, "agent")} ${agents.length === 1 ? "matches" : "match"} the filters.`
                : `${plural(data.counts.agents, "agent")}.`}
            </p>
            {agents.length === 0 ? (
              <EmptyState
                title="No agent matches these filters"
                action={
                  <button
                    type="button"
                    onClick={() => setQuery({ not_connected: false, unsupported: false, skew: false, q: undefined })}
                    className={link}
                  >
                    Clear the filters
                  </button>
                }
              >
                <p>Every agent of this installation is outside what the filters keep.</p>
              </EmptyState>
            ) : (
              <AgentsTable agents={agents} query={query} setQuery={setQuery} data={data} />
            )}
          </>
        )}
      </section>
      <ProjectsAndGroups data={data} />
    </div>
  );
}

function KasHealth({ data }: { data: FleetData & { skewMs: number } }) {
  const { kas } = data;
  return (
    <section aria-labelledby="fleet-kas-heading" className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <h2 id="fleet-kas-heading" className="text-lg font-semibold">
        Agent server (kas)
      </h2>
      <p className="mt-1 text-sm" data-testid="kas-state" data-reachable={kas.reachable}>
        Version <span className="font-mono">{kas.version}</span>
        {" · "}
        {kas.reachable ? (
          <span className="text-green-700 dark:text-green-400">Answering</span>
        ) : (
          <span className="font-medium text-red-700 dark:text-red-400">Not reachable</span>
        )}
      </p>
      {!kas.reachable ? (
        <p role="status" className={`mt-2 ${note}`}>
          kas did not answer web&apos;s status questions: the states below come from each agent&apos;s last heartbeat.
          Check that kas runs (<code>npm start</code> starts it beside web) and its log.
        </p>
      ) : null}
      {kas.replicas.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          No replica holds an agent&apos;s tunnel or carried a heartbeat in the last minute.
        </p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">kas replicas web knows of</caption>
            <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
              <tr>
                <th scope="col" className="py-1.5 pr-4 font-medium">
                  Replica
                </th>
                <th scope="col" className="pr-4 font-medium">
                  Agents with tunnels
                </th>
                <th scope="col" className="pr-4 font-medium">
                  Heartbeats carried
                </th>
                <th scope="col" className="font-medium">
                  Last heartbeat
                </th>
              </tr>
            </thead>
            <tbody>
              {kas.replicas.map((r) => (
                <tr key={r.id} data-replica={r.id} className="border-b border-zinc-100 dark:border-zinc-900">
                  <th scope="row" className="py-1.5 pr-4 font-mono font-normal">
                    {r.id}
                  </th>
                  <td className="pr-4">{r.tunnels}</td>
                  <td className="pr-4">{r.heartbeats}</td>
                  <td>
                    <RelativeTime iso={r.lastHeartbeatAt} skewMs={data.skewMs} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Filters({
  data,
  query,
  setQuery,
}: {
  data: FleetData;
  query: FleetQuery;
  setQuery: (patch: Partial<FleetQuery>) => void;
}) {
  const searchId = useId();
  const boxes: { key: "not_connected" | "unsupported" | "skew"; label: string; count: number }[] = [
    { key: "not_connected", label: "Not connected", count: data.counts.notConnected },
    { key: "unsupported", label: "Unsupported Kubernetes version", count: data.counts.unsupported },
    { key: "skew", label: `Version differs from kas ${data.kas.version}`, count: data.counts.skew },
  ];
  return (
    <form
      role="search"
      aria-label="Filter the agents"
      onSubmit={(e) => e.preventDefault()}
      className="mb-3 flex flex-wrap items-end gap-x-6 gap-y-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <fieldset className="flex flex-wrap gap-x-5 gap-y-2">
        <legend className="sr-only">Show only agents that are</legend>
        {boxes.map((b) => (
          <label key={b.key} className="inline-flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name={b.key}
              checked={query[b.key]}
              onChange={(e) => setQuery({ [b.key]: e.target.checked })}
              className="h-4 w-4 rounded border-zinc-300 text-indigo-600 focus:ring-indigo-500 dark:border-zinc-700"
            />
            {b.label}
            <span className="rounded-full bg-zinc-100 px-1.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              {b.count}
            </span>
          </label>
        ))}
      </fieldset>
      <div className="min-w-0 flex-1 basis-48">
        <label htmlFor={searchId} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          Agent or project
        </label>
        <input
          id={searchId}
          type="search"
          value={query.q ?? ""}
          maxLength={100}
          onChange={(e) => setQuery({ q: e.target.value.trim().toLowerCase() || undefined })}
          placeholder="prod, ops/infra…"
          className="mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900"
        />
      </div>
    </form>
  );
}

const COLUMNS: { key: FleetSortKey; label: string }[] = [
  { key: "agent", label: "Agent" },
  { key: "project", label: "Project" },
  { key: "status", label: "Status" },
  { key: "agentVersion", label: "Agent version" },
  { key: "kubernetesVersion", label: "Kubernetes version" },
  { key: "lastContact", label: "Last contact" },
];

function AgentsTable({
  agents,
  query,
  setQuery,
  data,
}: {
  agents: FleetAgent[];
  query: FleetQuery;
  setQuery: (patch: Partial<FleetQuery>) => void;
  data: FleetData & { skewMs: number };
}) {
  const current = query.sort ?? "project";
  const dir = query.dir ?? "asc";
  return (
    <DataTable
      testId="fleet-agents"
      caption="Every agent of the installation with its connection state (updated every few seconds); the column headers sort"
      head={COLUMNS.map((c) => {
        const active = current === c.key;
        return (
          <th
            key={c.key}
            scope="col"
            aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}
            className="whitespace-nowrap px-4 py-2 font-medium"
          >
            <button
              type="button"
              onClick={() => setQuery({ sort: c.key, dir: active && dir === "asc" ? "desc" : "asc" })}
              className="inline-flex items-center gap-1 rounded hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:text-zinc-100"
            >
              {c.label}
              <span aria-hidden className={active ? "" : "opacity-30"}>
                {active && dir === "desc" ? "▼" : "▲"}
              </span>
            </button>
          </th>
        );
      })}
    >
      {agents.map((a) => (
        <tr key={a.id} data-agent={`${a.project.fullPath}/${a.name}`}>
          <th scope="row" className="px-4 py-3 font-normal">
            <Link href={a.href} className={link}>
              {a.name}
            </Link>
            {a.pod ? <span className="block font-mono text-xs text-zinc-500">{a.pod}</span> : null}
          </th>
          <td className="px-4 py-3">
            <Link href={a.project.href} className={link}>
              {a.project.fullPath}
            </Link>
          </td>
          <td className="px-4 py-3">
            <ConnectionBadge status={a.status} />
            {a.lastHeardBy ? <span className="mt-1 block text-xs text-zinc-500">via {a.lastHeardBy}</span> : null}
          </td>
          <td className="px-4 py-3">
            <Cell empty={!a.agentVersion}>
              <span className="inline-flex flex-wrap items-center gap-2">
                <span className="font-mono">{a.agentVersion}</span>
                {a.versionSkew ? (
                  <span
                    data-skew={a.versionSkew}
                    className="whitespace-nowrap rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300"
                  >
                    <span aria-hidden>! </span>
                    {a.versionSkew === "behind"
                      ? `Behind kas ${data.kas.version}`
                      : `Newer than kas ${data.kas.version}`}
                  </span>
                ) : null}
              </span>
            </Cell>
          </td>
          <td className="px-4 py-3">
            <span className="inline-flex flex-wrap items-center gap-2">
              {a.kubernetesVersion ? <span className="font-mono">{a.kubernetesVersion}</span> : null}
              <StatusBadge status={a.support.status} title={a.support.detail} />
            </span>
          </td>
          <td className="whitespace-nowrap px-4 py-3">
            <RelativeTime iso={a.lastContactAt} skewMs={data.skewMs} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Cell({ empty, children }: { empty: boolean; children: ReactNode }) {
  return empty ? <span className="text-zinc-500">Not reported</span> : <>{children}</>;
}

/** A list's section: its heading with the count, and the list, or what shows when it is empty. */
function CountedSection({
  id,
  title,
  count,
  empty,
  children,
}: {
  id: string;
  title: string;
  count: number;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="min-w-0">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title} <span className="text-sm font-normal text-zinc-500">({count})</span>
      </h2>
      {count === 0 ? empty : children}
    </section>
  );
}

function ProjectsAndGroups({ data }: { data: FleetData }) {
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <CountedSection
        id="fleet-projects-heading"
        title="Projects"
        count={data.projects.length}
        empty={
          <EmptyState title="No projects yet">
            <p>Projects are created by users in their own namespace or in a group.</p>
          </EmptyState>
        }
      >
        <DataTable caption="Every project with its agents" columns={["Project", "Belongs to", "Agents connected"]}>
          {data.projects.map((p) => (
            <tr key={p.id} data-project={p.fullPath}>
              <th scope="row" className="px-4 py-2 font-normal">
                <Link href={p.href} className={link}>
                  {p.fullPath}
                </Link>
              </th>
              <td className="px-4 py-2">
                {p.group ? (
                  <Link href={p.group.href} className={link}>
                    {p.group.path}
                  </Link>
                ) : (
                  <span>@{p.owner}</span>
                )}
              </td>
              <td className="px-4 py-2">
                {p.agents === 0 ? (
                  <span className="text-zinc-500">No agents</span>
                ) : (
                  <Link
                    href={p.fleetHref}
                    className={link}
                    aria-label={`${p.connectedAgents} of ${p.agents} agents of ${p.fullPath} connected: show them`}
                  >
                    {p.connectedAgents} of {p.agents}
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </CountedSection>
      <CountedSection
        id="fleet-groups-heading"
        title="Groups"
        count={data.groups.length}
        empty={
          <EmptyState title="No groups yet">
            <p>Groups hold projects and members with roles.</p>
          </EmptyState>
        }
      >
        <DataTable
          caption="Every group with its projects, members and agents"
          columns={["Group", "Projects", "Members", "Agents"]}
        >
          {data.groups.map((g) => (
            <tr key={g.id} data-group={g.path}>
              <th scope="row" className="px-4 py-2 font-normal">
                <Link href={g.href} className={link}>
                  {g.name}
                </Link>
                <span className="block font-mono text-xs text-zinc-500">{g.path}</span>
              </th>
              <td className="px-4 py-2">{g.projects}</td>
              <td className="px-4 py-2">{g.members}</td>
              <td className="px-4 py-2">{g.agents}</td>
            </tr>
          ))}
        </DataTable>
      </CountedSection>
    </div>
  );
}
