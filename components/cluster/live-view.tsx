"use client";
// An agent's cluster, live: pick a kind and a namespace; the table follows the cluster as it changes
// (server-sent events from the shared cluster cache). Sorting, filtering and a virtualized body keep
// big lists smooth; changed rows flash; a chip says Live, Reconnecting or Stale since HH:MM.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";
import { stringify } from "yaml";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { KINDS, ageOf, type KubeItem } from "./kinds";
import { useLive, type LiveStatus } from "./use-live";

function StatusChip({ status, since }: { status: LiveStatus; since: Date | null }) {
  const text =
    status === "live" ? "Live" : status === "connecting" ? "Connecting…" : status === "reconnecting" ? "Reconnecting…" : `Stale since ${since ? since.toTimeString().slice(0, 5) : "—"}`;
  const tone = status === "live" ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" : "border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200";
  return (
    <span role="status" aria-live="polite" data-live-status={status} className={`rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`}>
      {text}
    </span>
  );
}

const ROW_HEIGHT = 36;

export function LiveView({ agentId }: { agentId: string }) {
  const [kindKey, setKindKey] = useState("pods");
  const [namespace, setNamespace] = useState<string>("");
  const kind = KINDS.find((k) => k.key === kindKey) ?? KINDS[0]!;
  const paths = useMemo(() => ["/api/v1/namespaces", kind.path(kind.namespaced && namespace ? namespace : null)], [kind, namespace]);
  // A new kind or namespace is a new stream: remount so its state starts clean.
  return <LiveTable key={paths.join(" ")} agentId={agentId} paths={paths} kindKey={kindKey} setKindKey={setKindKey} namespace={namespace} setNamespace={setNamespace} />;
}

function LiveTable({ agentId, paths, kindKey, setKindKey, namespace, setNamespace }: { agentId: string; paths: string[]; kindKey: string; setKindKey: (k: string) => void; namespace: string; setNamespace: (n: string) => void }) {
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<"name" | "age">("name");
  const [open, setOpen] = useState<string | null>(null);
  const kind = KINDS.find((k) => k.key === kindKey) ?? KINDS[0]!;
  const { collections, status, staleSince, error, changedAt, refused } = useLive(agentId, paths);
  const canListNamespaces = !refused.has(0);
  const namespaces = useMemo(() => [...(collections[0]?.values() ?? [])].map((n) => n.metadata.name).sort(), [collections]);
  const now = Date.now();
  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const items = [...(collections[1]?.values() ?? [])].filter((o) => !q || o.metadata.name.toLowerCase().includes(q) || (o.metadata.namespace ?? "").includes(q));
    items.sort((a, b) => (sort === "name" ? a.metadata.name.localeCompare(b.metadata.name) : Date.parse(b.metadata.creationTimestamp ?? "0") - Date.parse(a.metadata.creationTimestamp ?? "0")));
    return items;
  }, [collections, filter, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API cannot be memoized by the React compiler; this component simply re-renders
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const opened = open ? rows.find((r) => `${r.metadata.namespace ?? ""}/${r.metadata.name}` === open) : undefined;

  return (
    <section aria-label="Cluster objects" className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-zinc-600 dark:text-zinc-400">Kind</span>
          <select value={kindKey} onChange={(e) => setKindKey(e.target.value)} className="mt-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900">
            {KINDS.map((k) => (
              <option key={k.key} value={k.key}>{k.label}</option>
            ))}
          </select>
        </label>
        {kind.namespaced ? (
          <label className="text-sm">
            <span className="block text-zinc-600 dark:text-zinc-400">Namespace</span>
            {canListNamespaces ? (
              <select value={namespace} onChange={(e) => setNamespace(e.target.value)} className="mt-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900">
                <option value="">All namespaces</option>
                {namespaces.map((n) => (
                  <option key={n} value={n}>{n}</option>
                ))}
              </select>
            ) : (
              // Not allowed to list namespaces: name one (the cluster's RBAC decides what shows).
              <input
                defaultValue={namespace}
                onKeyDown={(e) => {
                  if (e.key === "Enter") setNamespace((e.target as HTMLInputElement).value.trim());
                }}
                onBlur={(e) => setNamespace(e.target.value.trim())}
                placeholder="namespace, then Enter"
                className="mt-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900"
              />
            )}
          </label>
        ) : null}
        <label className="text-sm">
          <span className="block text-zinc-600 dark:text-zinc-400">Search</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name or namespace" className="mt-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900" />
        </label>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span className="text-zinc-500">{rows.length} {kind.label.toLowerCase()}</span>
          <StatusChip status={status} since={staleSince} />
        </div>
      </div>

      {error ? <ErrorState title="The live view stopped" message={error} /> : null}
      {refused.has(1) ? <ErrorState title={`You cannot list ${kind.label.toLowerCase()} here`} message={`${refused.get(1)}${namespace ? ` in ${namespace}` : " across all namespaces; pick a namespace"}.`} /> : null}
      {status === "connecting" ? <LoadingState label={`Loading ${kind.label.toLowerCase()}…`} /> : null}

      <div role="table" aria-label={kind.label} aria-rowcount={rows.length + 1} className="rounded-md border border-zinc-200 text-sm dark:border-zinc-800">
        <div role="rowgroup">
          <div role="row" className="grid grid-cols-[2fr_1fr_1.5fr_5rem] gap-2 border-b border-zinc-200 px-3 py-2 font-medium text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            <span role="columnheader" aria-sort={sort === "name" ? "ascending" : "none"}>
              <button type="button" onClick={() => setSort("name")} className="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">Name</button>
            </span>
            <span role="columnheader">Namespace</span>
            <span role="columnheader">Status</span>
            <span role="columnheader" aria-sort={sort === "age" ? "ascending" : "none"}>
              <button type="button" onClick={() => setSort("age")} className="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">Age</button>
            </span>
          </div>
        </div>
        {rows.length === 0 && status === "live" ? (
          <p className="px-3 py-6 text-center text-zinc-500">No {kind.label.toLowerCase()} {namespace ? `in ${namespace}` : "in the cluster"}{filter ? ` matching "${filter}"` : ""}.</p>
        ) : null}
        <div ref={scroller} role="rowgroup" className="max-h-[60vh] overflow-auto">
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((v) => {
              const o: KubeItem = rows[v.index]!;
              const key = `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
              const flash = now - (changedAt.get(key) ?? 0) < 1_500;
              return (
                <div
                  key={key}
                  role="row"
                  aria-rowindex={v.index + 2}
                  data-name={o.metadata.name}
                  style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  className={`grid grid-cols-[2fr_1fr_1.5fr_5rem] items-center gap-2 border-b border-zinc-100 px-3 dark:border-zinc-900 ${flash ? "bg-amber-50 dark:bg-amber-950/40" : ""}`}
                >
                  <span role="cell" className="truncate">
                    <button type="button" onClick={() => setOpen(key)} className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400">{o.metadata.name}</button>
                  </span>
                  <span role="cell" className="truncate text-zinc-600 dark:text-zinc-400">{o.metadata.namespace ?? "—"}</span>
                  <span role="cell" className="truncate">{kind.status(o)}</span>
                  <span role="cell" className="text-zinc-500">{ageOf(o.metadata.creationTimestamp, now)}</span>
                </div>
              );
            })}
          </div>
        </div>
      </div>

      {opened ? (
        <aside aria-label={`${opened.metadata.name} details`} className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
          <div className="mb-2 flex items-center justify-between">
            <h3 className="font-semibold">{opened.metadata.name}</h3>
            <button type="button" onClick={() => setOpen(null)} className="text-sm underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">Close</button>
          </div>
          <pre className="max-h-96 overflow-auto rounded bg-zinc-50 p-3 text-xs dark:bg-zinc-900">{stringify(opened)}</pre>
        </aside>
      ) : null}
    </section>
  );
}
