"use client";
// An agent's cluster, live: pick a kind (or the Overview) and a namespace; the page follows the cluster as
// it changes (server-sent events from the shared cluster cache). Sorting, filtering and a virtualized body
// keep big lists smooth; changed rows flash; a row opens a drawer; the view lives in the URL so a link
// reopens it; a chip says Live, Reconnecting or Stale since HH:MM.
import dynamic from "next/dynamic";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Suspense, useMemo, useRef, useState } from "react";
import { plural } from "@/components/ui/plural";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { objectKey } from "@/lib/cluster-cache/wire";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { checkLabelSelector } from "@/lib/cluster-cache/label-selector";
import { tableNamespaces, tableStreamPaths } from "./live-paths";
import {
  OVERVIEW_KEY,
  Pickers,
  StatusChip,
  inputClass,
  namespaceNames,
  useCustomKinds,
  useViewState,
  type ViewState,
} from "./controls";
import { KINDS, ageOf, type Kind, type KubeItem } from "./kinds";
import { OverviewPanel } from "./overview-panel";
import { ReachNotice, useClusterReach, type ClusterPlace } from "./reach-notice";
import { ariaSort, formatSort, nextSort, parseSort, type SortState } from "./sort";
import { metricsOf, usageColumns } from "./resource-usage";
import { statusChoices, tableColumns, tableRows, type TableColumn } from "./table-rows";
import { useLive } from "./use-live";
import type { TableSeed } from "./table-seed";
import { MetricsNotice, useMetrics } from "./use-metrics";

const ROW_HEIGHT = 36;
/** How old the server's first rows may be when the table mounts: past it they are not shown. */
const SEED_FRESH_MS = 15_000;
/** A row's drawer, loaded when a row is opened: the table's page does not wait for its script. */
const ObjectDrawer = dynamic(() => import("./object-drawer").then((m) => m.ObjectDrawer), {
  ssr: false,
  loading: () => <LoadingState label="Opening…" />,
});

export function LiveView({
  agentId,
  place,
  seed = null,
}: {
  agentId: string;
  place: ClusterPlace;
  /** The table's first rows from the server's warm cache (table-seed.ts), shown until the stream's snapshot. */
  seed?: TableSeed | null;
}) {
  // When the view first renders in the browser (hydration reaching it): bench/live-browser reads the mark.
  if (typeof window !== "undefined" && performance.getEntriesByName?.("tether:live-view-render").length === 0)
    performance.mark("tether:live-view-render");
  return (
    <Suspense fallback={<LoadingState label="Loading the cluster…" />}>
      <LiveViewRouted agentId={agentId} place={place} seed={seed} />
    </Suspense>
  );
}

function LiveViewRouted({ agentId, place, seed }: { agentId: string; place: ClusterPlace; seed: TableSeed | null }) {
  const [view, setView] = useViewState();
  const builtIn = KINDS.find((k) => k.key === view.kind);
  // Only a page that shows one of the discovered kinds needs discovery before its stream.
  const more = useCustomKinds(agentId, !builtIn && view.kind !== OVERVIEW_KEY);
  if (view.kind === OVERVIEW_KEY)
    return <OverviewPanel agentId={agentId} place={place} view={view} setView={setView} />;
  // A link to a custom resource waits for discovery; one the cluster does not serve says so.
  if (!builtIn && more.isPending) return <LoadingState label="Finding the cluster's resources…" />;
  const kind = builtIn ?? more.data?.find((k) => k.key === view.kind);
  if (!kind) return <UnknownKind kind={view.kind} error={more.isError ? more.error.message : null} />;
  // A new kind is a new table (its columns); a new namespace or selector is a new stream in the same table.
  return (
    <LiveTable key={kind.key} agentId={agentId} place={place} kind={kind} view={view} setView={setView} seed={seed} />
  );
}

/** `kind=` names nothing this cluster serves (a typo, a CRD since removed): say so, and lead back. */
function UnknownKind({ kind, error }: { kind: string; error: string | null }) {
  const pathname = usePathname();
  return (
    <section aria-label="Cluster objects" className="space-y-3">
      <ErrorState
        title={
          error
            ? `Could not find out whether this cluster serves kind ${kind}`
            : `This cluster does not serve kind ${kind}`
        }
        message={
          error
            ? `Asking the cluster what it serves failed: ${error}`
            : "No built-in kind has that name and the cluster's API discovery lists no resource by it. The link may have a typo, or the resource's CustomResourceDefinition was removed."
        }
      />
      <p className="text-sm">
        <Link
          href={pathname}
          className="text-indigo-600 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
        >
          Back to the cluster&apos;s Overview
        </Link>
      </p>
    </section>
  );
}

function LiveTable({
  agentId,
  place,
  kind,
  view,
  setView,
  seed,
}: {
  agentId: string;
  place: ClusterPlace;
  kind: Kind;
  view: ViewState;
  setView: (p: Partial<ViewState>) => void;
  seed: TableSeed | null;
}) {
  const [filter, setFilter] = useState(view.q);
  const search = useRef<HTMLInputElement>(null);
  const onSearch = (q: string) => {
    setFilter(q);
    setView({ q });
  };
  // A search typed while the page's scripts were still loading filters the table once they run.
  useTypedBeforeHydration(search, filter, onSearch);
  const sort = parseSort(view.sort);
  const chosen = useMemo(() => tableNamespaces(kind, view.namespace), [kind, view.namespace]);
  // A malformed selector in a link is not sent: the table stays whole and the field says why.
  const checked = checkLabelSelector(view.selector);
  const selector = checked.ok ? checked.selector : "";
  const pathsKey = tableStreamPaths(kind, chosen, selector).join("\n");
  const paths = useMemo(() => pathsKey.split("\n"), [pathsKey]);
  const tableSources = useMemo(() => paths.slice(1).map((_, i) => i + 1), [paths]);
  // A seed is for the page it came with: a table opened later from the picker (the URL changed in place, so
  // the server did not render again) would show the rows of back then.
  const [fresh] = useState(() => seed !== null && Date.now() - seed.now < SEED_FRESH_MS);
  const liveSeed = useMemo(
    () => (seed && fresh ? { pathsKey: seed.pathsKey, collections: [seed.namespaces, seed.items] } : null),
    [seed, fresh],
  );
  const live = useLive(agentId, paths, liveSeed);
  const { collections, status, staleSince, error, changedAt, refused } = live;
  const reach = useClusterReach(agentId, place, live, tableSources);
  // An agent that is not there, or every list refused, has no rows: an empty table would say the cluster has none.
  const shown = reach.state === "ready" || (reach.state === "disconnected" && reach.stale);
  const scope = chosen.length ? `in ${chosen.join(", ")}` : "in the cluster";
  const namespaces = useMemo(() => namespaceNames(collections[0]), [collections]);
  const items = useMemo(
    () => tableSources.flatMap((i) => [...(collections[i]?.values() ?? [])]),
    [collections, tableSources],
  );
  // Pods and nodes gain CPU and memory columns when the cluster serves metrics.k8s.io (polled, not live).
  const of = metricsOf(kind.key);
  const metrics = useMetrics(agentId, of, chosen, reach.state === "ready" && of !== null);
  const added = useMemo(
    () => (of && metrics.answer?.state === "available" ? usageColumns(of, metrics.byKey) : []),
    [of, metrics.answer, metrics.byKey],
  );
  // While the server's first rows show, ages are dated as the server dated them (the same text hydrates).
  const now = live.seeded && seed ? seed.now : Date.now();
  const rows = useMemo(
    () => tableRows(items, kind, { q: filter, status: view.status, sort: parseSort(view.sort), added }),
    [items, filter, view.sort, view.status, kind, added],
  );
  // How many rows the table has: while the seed shows, the server's count if the view is still the seed's,
  // unknown (not shown) if the search or the status filter changed since.
  const count = !(live.seeded && seed)
    ? rows.length
    : seed.view.q === filter && seed.view.status === view.status
      ? seed.total
      : null;
  // The Status column's filter offers the statuses the table has (a link's status stays offered).
  const statuses = useMemo(() => statusChoices(items, kind, view.status), [items, kind, view.status]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API cannot be memoized by the React compiler; this component simply re-renders
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the box is measured (the server's render, hydration): as many rows as a screen shows.
    initialRect: { width: 0, height: ROW_HEIGHT * 20 },
  });
  const opened = view.open
    ? tableSources.map((i) => collections[i]?.get(view.open!)).find((o) => o !== undefined)
    : undefined;
  const columns = useMemo(() => tableColumns(kind, added), [kind, added]);
  const middle = columns.length - 3;
  const gridTemplateColumns = `minmax(0,2fr) minmax(0,1fr) ${columns
    .slice(2, -1)
    .map(() => (middle > 1 ? "minmax(0,1fr)" : "minmax(0,1.5fr)"))
    .join(" ")} 5rem`;
  const refusals = tableSources.filter((i) => refused.has(i));

  return (
    <section aria-label="Cluster objects" className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <Pickers
          agentId={agentId}
          view={view}
          setView={setView}
          namespaced={kind.namespaced}
          namespaces={namespaces}
          canListNamespaces={!refused.has(0)}
          discover={status !== "connecting"}
        />
        <label className="text-sm">
          <span className="block text-zinc-600 dark:text-zinc-400">Search</span>
          <input
            ref={search}
            type="search"
            value={filter}
            onChange={(e) => onSearch(e.target.value)}
            placeholder="Name or namespace"
            className={inputClass}
          />
        </label>
        <LabelSelectorField value={view.selector} onApply={(sel) => setView({ selector: sel, open: null })} />
        {statuses.length > 0 ? (
          <label className="text-sm">
            <span className="block text-zinc-600 dark:text-zinc-400">Status</span>
            <select
              aria-label="Status"
              value={view.status}
              onChange={(e) => setView({ status: e.target.value, open: null })}
              className={inputClass}
            >
              <option value="">Any status</option>
              {statuses.map((st) => (
                <option key={st} value={st}>
                  {st}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {shown && count !== null ? (
            <span className="text-zinc-500">{plural(count, kind.noun.one, kind.noun.other)}</span>
          ) : null}
          {/* A stream retrying to an agent that is not there is not news: the notice says why. */}
          {shown || reach.state === "loading" || reach.state === "no_access" ? (
            <StatusChip status={status} since={staleSince} />
          ) : null}
        </div>
      </div>

      {error ? <ErrorState title="The live view stopped" message={error} /> : null}
      {refusals.length ? (
        <ErrorState
          title={`You cannot list ${kind.label.toLowerCase()} here`}
          message={
            chosen.length
              ? refusals.map((i) => `${chosen[i - 1]}: ${refused.get(i)}`).join("; ") + "."
              : `${refused.get(refusals[0]!)} across all namespaces; pick a namespace.`
          }
        />
      ) : null}
      {/* A refused table says which list and why just above; the notice adds how to be let in. */}
      <ReachNotice reach={reach} place={place} />
      {shown ? <MetricsNotice text={metrics.notice} /> : null}
      {reach.state === "loading" ? <LoadingState label={`Loading ${kind.label.toLowerCase()}…`} /> : null}

      {shown ? (
        // On a narrow screen the table scrolls sideways in its own box; its columns would not fit 390 px.
        <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <div
            role="table"
            aria-label={kind.label}
            aria-rowcount={count === null ? -1 : count + 1}
            // Wide kinds (kubectl -o wide) get room per column; the box scrolls sideways on a narrow screen.
            style={{ minWidth: `${Math.max(40, 20 + 8 * middle)}rem` }}
            className="text-sm"
          >
            <div role="rowgroup">
              <div
                role="row"
                style={{ gridTemplateColumns }}
                className="grid gap-2 border-b border-zinc-200 px-3 py-2 font-medium text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
              >
                {columns.map((c) => (
                  <SortHeader
                    key={c.id}
                    column={c}
                    sort={sort}
                    onSort={(next) => setView({ sort: formatSort(next) })}
                  />
                ))}
              </div>
            </div>
            {rows.length === 0 && status === "live" ? (
              <p className="px-3 py-6 text-center text-zinc-500">
                No {kind.label.toLowerCase()} {kind.namespaced ? scope : "in the cluster"}
                {filter ? ` matching "${filter}"` : ""}
                {selector ? ` with labels ${selector}` : ""}
                {view.status ? ` with status ${view.status}` : ""}.
              </p>
            ) : null}
            <div ref={scroller} role="rowgroup" className="max-h-[60vh] overflow-auto">
              <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
                {virtual.getVirtualItems().map((v) => {
                  const o: KubeItem = rows[v.index]!;
                  const key = objectKey(o);
                  const flash = now - (changedAt.get(key) ?? 0) < 1_500;
                  return (
                    <div
                      key={key}
                      role="row"
                      aria-rowindex={v.index + 2}
                      data-name={o.metadata.name}
                      style={{
                        position: "absolute",
                        top: 0,
                        left: 0,
                        right: 0,
                        height: ROW_HEIGHT,
                        transform: `translateY(${v.start}px)`,
                        gridTemplateColumns,
                      }}
                      className={`grid items-center gap-2 border-b border-zinc-100 px-3 dark:border-zinc-900 ${flash ? "bg-amber-50 dark:bg-amber-950/40" : ""}`}
                    >
                      <span role="cell" className="truncate">
                        <button
                          type="button"
                          onClick={() => setView({ open: key })}
                          className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
                        >
                          {o.metadata.name}
                        </button>
                      </span>
                      <span role="cell" className="truncate text-zinc-600 dark:text-zinc-400">
                        {o.metadata.namespace ?? "—"}
                      </span>
                      {columns.slice(2, -1).map((c) => (
                        <span key={c.id} role="cell" className="truncate">
                          {c.value(o, now)}
                        </span>
                      ))}
                      <span role="cell" className="text-zinc-500">
                        {ageOf(o.metadata.creationTimestamp, now)}
                      </span>
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        </div>
      ) : null}

      {opened ? (
        <ObjectDrawer
          agentId={agentId}
          path={kind.path(opened.metadata.namespace ?? null)}
          kindKey={kind.key}
          noun={kind.noun.one}
          summary={opened}
          onClose={() => setView({ open: null })}
        />
      ) : view.open && status === "live" && shown ? (
        <p role="status" className="text-sm text-amber-800 dark:text-amber-200">
          No {kind.noun.one} {view.open} {kind.namespaced ? scope : "in the cluster"}
          {selector ? ` with labels ${selector}` : ""}: it may have been deleted.{" "}
          <button
            type="button"
            onClick={() => setView({ open: null })}
            className="underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            Dismiss
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** A column heading that sorts: Enter, Space or a click goes ascending, descending, then the table's own order. */
function SortHeader({
  column,
  sort,
  onSort,
}: {
  column: TableColumn;
  sort: SortState | null;
  onSort: (next: SortState | null) => void;
}) {
  const state = ariaSort(sort, column.id);
  return (
    <span role="columnheader" aria-sort={state} className="min-w-0">
      <button
        type="button"
        data-sort-column={column.id}
        onClick={() => onSort(nextSort(sort, column.id))}
        className="flex max-w-full items-center gap-1 text-left hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        <span className="truncate">{column.name}</span>
        <span aria-hidden className="text-xs">
          {state === "ascending" ? "▲" : state === "descending" ? "▼" : ""}
        </span>
      </button>
    </span>
  );
}

/**
 * A Kubernetes label selector (app=web,tier!=db,env in (a,b)), applied on Enter or on leaving the field and
 * sent to the cluster as labelSelector; a malformed one says why and changes nothing.
 */
function LabelSelectorField({ value, onApply }: { value: string; onApply: (selector: string) => void }) {
  const [text, setText] = useState(value);
  const [applied, setApplied] = useState(value);
  // The URL changed under the field (a link, Back): show what is applied.
  if (applied !== value) {
    setApplied(value);
    setText(value);
  }
  const linked = checkLabelSelector(value);
  const [problem, setProblem] = useState<string | null>(null);
  const error = problem ?? (linked.ok ? null : linked.error);
  const apply = (typed = text) => {
    const r = checkLabelSelector(typed);
    if (!r.ok) {
      setProblem(r.error);
      return;
    }
    setProblem(null);
    setText(r.selector);
    if (r.selector !== value) onApply(r.selector);
  };
  const field = useRef<HTMLInputElement>(null);
  // A selector typed while the page's scripts were still loading: applied at once if the viewer has left the
  // field meanwhile (as leaving it applies), else on Enter or leaving it, as typed now.
  useTypedBeforeHydration(field, text, (typed) => {
    setText(typed);
    if (document.activeElement !== field.current) apply(typed);
  });
  return (
    <label className="min-w-0 max-w-full text-sm">
      <span className="block text-zinc-600 dark:text-zinc-400">Labels</span>
      <input
        ref={field}
        type="text"
        aria-label="Label selector"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "label-selector-error" : undefined}
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        onChange={(e) => {
          setText(e.target.value);
          setProblem(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") apply();
        }}
        onBlur={() => apply()}
        placeholder="app=web,tier!=db"
        className={`${inputClass} w-56 font-mono ${error ? "border-red-500 dark:border-red-500" : ""}`}
      />
      {error ? (
        <span
          id="label-selector-error"
          role="alert"
          className="mt-1 block max-w-xs text-xs text-red-700 dark:text-red-400"
        >
          Not applied: {error}
        </span>
      ) : null}
    </label>
  );
}
