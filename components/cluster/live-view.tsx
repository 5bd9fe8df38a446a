"use client";
// An agent's cluster, live: pick a kind (or the Overview) and a namespace; the page follows the cluster as
// it changes (server-sent events from the shared cluster cache). Sorting, filtering and a virtualized body
// keep big lists smooth; changed rows flash; a row opens a drawer; the view lives in the URL so a link
// reopens it; a chip says Live, Reconnecting or Stale since HH:MM.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { fetchJson } from "@/components/providers";
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { stringify } from "yaml";
import { plural } from "@/components/ui/plural";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { objectKey } from "@/lib/cluster-cache/wire";
import {
  NAMESPACES_PATH,
  OVERVIEW_KEY,
  Pickers,
  StatusChip,
  clusterKeys,
  inputClass,
  namespaceNames,
  useCustomKinds,
  useViewState,
  type ViewState,
} from "./controls";
import { KINDS, ageOf, conditionsOf, type Kind, type KubeItem } from "./kinds";
import { ObjectActions } from "./object-actions";
import { OverviewPanel } from "./overview-panel";
import { PodLogs } from "./pod-logs";
import { PodShell } from "./pod-shell";
import { ReachNotice, useClusterReach, type ClusterPlace } from "./reach-notice";
import { statusChoices, tableRows, type SortKey } from "./table-rows";
import { useLive } from "./use-live";

const ROW_HEIGHT = 36;
const PODS = /^\/api\/v1(\/namespaces\/[^/]+)?\/pods$/;

export function LiveView({ agentId, place }: { agentId: string; place: ClusterPlace }) {
  return (
    <Suspense fallback={<LoadingState label="Loading the cluster…" />}>
      <LiveViewRouted agentId={agentId} place={place} />
    </Suspense>
  );
}

function LiveViewRouted({ agentId, place }: { agentId: string; place: ClusterPlace }) {
  const [view, setView] = useViewState();
  const builtIn = KINDS.find((k) => k.key === view.kind);
  // Only a page that shows one of the discovered kinds needs discovery before its stream.
  const more = useCustomKinds(agentId, !builtIn && view.kind !== OVERVIEW_KEY);
  if (view.kind === OVERVIEW_KEY)
    return (
      <OverviewPanel key={`overview ${view.namespace}`} agentId={agentId} place={place} view={view} setView={setView} />
    );
  // A link to a custom resource waits for discovery; one the cluster no longer serves falls back to pods.
  if (!builtIn && more.isPending) return <LoadingState label="Finding the cluster's resources…" />;
  const kind = builtIn ?? more.data?.find((k) => k.key === view.kind) ?? KINDS[0]!;
  const path = kind.path(kind.namespaced && view.namespace ? view.namespace : null);
  // A new kind or namespace is a new stream: remount so its state starts clean.
  return <LiveTable key={path} agentId={agentId} place={place} kind={kind} path={path} view={view} setView={setView} />;
}

/** The table's one collection, after the namespaces (index 0, for the picker). */
const TABLE_SOURCES = [1];

function LiveTable({
  agentId,
  place,
  kind,
  path,
  view,
  setView,
}: {
  agentId: string;
  place: ClusterPlace;
  kind: Kind;
  path: string;
  view: ViewState;
  setView: (p: Partial<ViewState>) => void;
}) {
  const [filter, setFilter] = useState(view.q);
  const [sort, setSort] = useState<SortKey>("name");
  const paths = useMemo(() => [NAMESPACES_PATH, path], [path]);
  const live = useLive(agentId, paths);
  const { collections, status, staleSince, error, changedAt, refused } = live;
  const reach = useClusterReach(agentId, place, live, TABLE_SOURCES);
  // An agent that is not there, or a list refused, has no rows: an empty table would say the cluster has none.
  const shown = reach.state === "ready" || (reach.state === "disconnected" && reach.stale);
  const namespace = view.namespace;
  const namespaces = useMemo(() => namespaceNames(collections[0]), [collections]);
  const now = Date.now();
  const rows = useMemo(
    () => tableRows(collections[1]?.values() ?? [], kind, { q: filter, status: view.status, sort }),
    [collections, filter, sort, view.status, kind],
  );
  // The Status column's filter offers the statuses the table has (a link's status stays offered).
  const statuses = useMemo(
    () => statusChoices(collections[1]?.values() ?? [], kind, view.status),
    [collections, kind, view.status],
  );
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API cannot be memoized by the React compiler; this component simply re-renders
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const opened = view.open ? collections[1]?.get(view.open) : undefined;
  // Status, or a custom resource's printer columns, between Namespace and Age.
  const middle = kind.columns ?? [
    { name: kind.statusLabel ?? "Status", value: (o: KubeItem) => kind.status(o) },
    ...(kind.extraColumns ?? []),
  ];
  const gridTemplateColumns = `minmax(0,2fr) minmax(0,1fr) ${middle.map(() => (middle.length > 1 ? "minmax(0,1fr)" : "minmax(0,1.5fr)")).join(" ")} 5rem`;

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
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setView({ q: e.target.value });
            }}
            placeholder="Name or namespace"
            className={inputClass}
          />
        </label>
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
          {shown ? <span className="text-zinc-500">{plural(rows.length, kind.noun.one, kind.noun.other)}</span> : null}
          {/* A stream retrying to an agent that is not there is not news: the notice says why. */}
          {shown || reach.state === "loading" || reach.state === "no_access" ? (
            <StatusChip status={status} since={staleSince} />
          ) : null}
        </div>
      </div>

      {error ? <ErrorState title="The live view stopped" message={error} /> : null}
      {refused.has(1) ? (
        <ErrorState
          title={`You cannot list ${kind.label.toLowerCase()} here`}
          message={`${refused.get(1)}${namespace ? ` in ${namespace}` : " across all namespaces; pick a namespace"}.`}
        />
      ) : null}
      {/* A refused table says which list and why just above; the notice adds how to be let in. */}
      <ReachNotice reach={reach} place={place} />
      {reach.state === "loading" ? <LoadingState label={`Loading ${kind.label.toLowerCase()}…`} /> : null}

      {shown ? (
        // On a narrow screen the table scrolls sideways in its own box; its columns would not fit 390 px.
        <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <div
            role="table"
            aria-label={kind.label}
            aria-rowcount={rows.length + 1}
            // Wide kinds (kubectl -o wide) get room per column; the box scrolls sideways on a narrow screen.
            style={{ minWidth: `${Math.max(40, 20 + 8 * middle.length)}rem` }}
            className="text-sm"
          >
            <div role="rowgroup">
              <div
                role="row"
                style={{ gridTemplateColumns }}
                className="grid gap-2 border-b border-zinc-200 px-3 py-2 font-medium text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
              >
                <span role="columnheader" aria-sort={sort === "name" ? "ascending" : "none"}>
                  <button
                    type="button"
                    onClick={() => setSort("name")}
                    className="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                  >
                    Name
                  </button>
                </span>
                <span role="columnheader">Namespace</span>
                {middle.map((c) => (
                  <span key={c.name} role="columnheader" className="truncate">
                    {c.name}
                  </span>
                ))}
                <span role="columnheader" aria-sort={sort === "age" ? "ascending" : "none"}>
                  <button
                    type="button"
                    onClick={() => setSort("age")}
                    className="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                  >
                    Age
                  </button>
                </span>
              </div>
            </div>
            {rows.length === 0 && status === "live" ? (
              <p className="px-3 py-6 text-center text-zinc-500">
                No {kind.label.toLowerCase()} {namespace ? `in ${namespace}` : "in the cluster"}
                {filter ? ` matching "${filter}"` : ""}
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
                      {middle.map((c) => (
                        <span key={c.name} role="cell" className="truncate">
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
          path={path}
          noun={kind.noun.one}
          summary={opened}
          onClose={() => setView({ open: null })}
        />
      ) : null}
    </section>
  );
}

/** The whole object behind a row (tables may hold summaries), asked again when the row changes. */
function useWholeObject(agentId: string, path: string, summary: KubeItem) {
  const { name, namespace, resourceVersion } = summary.metadata;
  return useQuery({
    queryKey: clusterKeys.object(agentId, path, objectKey(summary), resourceVersion ?? ""),
    queryFn: async () => {
      const q = new URLSearchParams({ path, name, ...(namespace ? { namespace } : {}) });
      return (await fetchJson<{ object: KubeItem }>(`/api/agents/${encodeURIComponent(agentId)}/object?${q}`)).object;
    },
    placeholderData: keepPreviousData,
    retry: 1,
  });
}

/** A row's details: conditions, labels, then the object as read-only YAML. Focus moves in; Escape closes. */
export function ObjectDrawer({
  agentId,
  path,
  noun,
  summary,
  onClose,
}: {
  agentId: string;
  path: string;
  noun: string;
  summary: KubeItem;
  onClose: () => void;
}) {
  const whole = useWholeObject(agentId, path, summary);
  const object = whole.data ?? summary;
  const panel = useRef<HTMLElement>(null);
  // The object changes live and onClose with every render: only opening moves focus, not each update.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  // An edit of the object's YAML not applied yet (edit-yaml.tsx marks it) is discarded only when confirmed.
  const leave = useCallback(() => {
    const unapplied = panel.current?.querySelector("[data-unapplied-edit]");
    if (!unapplied || window.confirm(unapplied.getAttribute("data-unapplied-edit") ?? "")) close.current();
  }, []);
  useEffect(() => {
    const returnTo = document.activeElement;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      // Escape inside the YAML editor is CodeMirror's (Escape then Tab leaves the editor), and inside a
      // shell's terminal the shell's (F6 leaves it), not the drawer's.
      if (e.key === "Escape" && !(e.target instanceof Element && e.target.closest(".cm-editor, .xterm"))) leave();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    };
  }, [leave]);
  const conditions = conditionsOf(object);
  const labels = Object.entries((object.metadata as { labels?: Record<string, string> }).labels ?? {});
  const title = `${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
  return (
    <aside
      ref={panel}
      role="dialog"
      aria-label={`${object.metadata.name} details`}
      tabIndex={-1}
      className="fixed inset-y-0 right-0 z-40 w-full max-w-2xl space-y-4 overflow-auto border-l border-zinc-200 bg-white p-5 shadow-xl focus:outline-none dark:border-zinc-800 dark:bg-zinc-950"
    >
      <div className="flex items-center justify-between gap-3">
        <h3 className="truncate font-semibold">{title}</h3>
        <button
          type="button"
          onClick={leave}
          className="text-sm underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          Close
        </button>
      </div>
      {whole.isPending ? <LoadingState label="Loading the object…" /> : null}
      {whole.isError ? <ErrorState title="The object could not be loaded" message={whole.error.message} /> : null}
      <ObjectActions agentId={agentId} path={path} object={object} noun={noun} />
      {PODS.test(path) ? <PodShell agentId={agentId} pod={object} /> : null}
      {PODS.test(path) ? <PodLogs agentId={agentId} pod={object} /> : null}
      <section aria-label="Conditions">
        <h4 className="mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400">Conditions</h4>
        {conditions.length ? (
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="text-zinc-500">
                <th className="py-1 pr-2">Type</th>
                <th className="pr-2">Status</th>
                <th className="pr-2">Reason</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c) => (
                <tr key={c.type} className="border-t border-zinc-100 align-top dark:border-zinc-900">
                  <td className="py-1 pr-2 font-medium">{c.type}</td>
                  <td className="pr-2">{c.status}</td>
                  <td className="pr-2">{c.reason ?? ""}</td>
                  <td className="break-words">{c.message ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-xs text-zinc-500">No conditions.</p>
        )}
      </section>
      <section aria-label="Labels">
        <h4 className="mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400">Labels</h4>
        {labels.length ? (
          <ul className="flex flex-wrap gap-1 text-xs">
            {labels.map(([k, v]) => (
              <li key={k} className="rounded border border-zinc-200 px-1.5 py-0.5 font-mono dark:border-zinc-800">
                {k}={v}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-zinc-500">No labels.</p>
        )}
      </section>
      <section aria-label="YAML">
        <h4 className="mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400">YAML</h4>
        <pre className="max-h-[60vh] overflow-auto rounded bg-zinc-50 p-3 text-xs dark:bg-zinc-900">
          {whole.data ? stringify(whole.data) : ""}
        </pre>
      </section>
    </aside>
  );
}
