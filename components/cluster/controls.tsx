"use client";
// What every cluster view shares: the view's state in the URL, the kind and namespace pickers, the chip.
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { fetchJson } from "@/components/providers";
import type { DiscoveredResource } from "@/lib/cluster-cache";
import { customKinds } from "./custom-kinds";
import { KindPicker } from "./kind-picker";
import type { Kind, KubeItem } from "./kinds";
import type { LiveStatus } from "./use-live";

import { MAX_NAMESPACES, OVERVIEW_KEY, namespaceList } from "./live-paths";

export { MAX_NAMESPACES, NAMESPACES_PATH, OVERVIEW_KEY, namespaceList } from "./live-paths";
export const inputClass =
  "mt-1 max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900";

export const clusterKeys = {
  discovery: (agentId: string) => ["cluster-discovery", agentId] as const,
  /** One object, whole, at a resourceVersion: a live change to the row asks again. */
  object: (agentId: string, path: string, key: string, resourceVersion: string) =>
    ["cluster-object", agentId, path, key, resourceVersion] as const,
};

/**
 * The cluster's other resources as kinds; asked once per agent and kept for a few minutes. Discovery asks
 * the cluster a few dozen questions through the tunnel, so a page asks only once its own stream is live
 * (or the kind picker is focused), unless the page shows one of these kinds.
 */
export function useCustomKinds(agentId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: clusterKeys.discovery(agentId),
    queryFn: async (): Promise<Kind[]> =>
      customKinds(
        (await fetchJson<{ resources: DiscoveredResource[] }>(`/api/agents/${encodeURIComponent(agentId)}/discovery`))
          .resources,
      ),
    staleTime: 5 * 60_000,
    retry: 1,
  });
}

export function StatusChip({ status, since }: { status: LiveStatus; since: Date | null }) {
  const text =
    status === "live"
      ? "Live"
      : status === "connecting"
        ? "Connecting…"
        : status === "reconnecting"
          ? "Reconnecting…"
          : `Stale since ${since ? since.toTimeString().slice(0, 5) : "—"}`;
  const tone =
    status === "live"
      ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
      : "border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200";
  return (
    <span
      role="status"
      aria-live="polite"
      data-live-status={status}
      className={`rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`}
    >
      {text}
    </span>
  );
}

/**
 * The view's state as URL search params: kind, namespace (one, or several comma-separated), q (search),
 * status (exact), selector (a label selector), sort (a column's id, "-" first for descending) and open
 * (namespace/name).
 */
export interface ViewState {
  kind: string;
  namespace: string;
  q: string;
  status: string;
  selector: string;
  sort: string;
  open: string | null;
}

/** A link's query string for a view, e.g. the Overview's "Failed 2" → the Pods filtered to Failed. */
export function viewHref(pathname: string, patch: Partial<ViewState>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(patch)) if (v) q.set(k, v);
  const qs = q.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

/**
 * The history entry is replaced in place (Next.js keeps useSearchParams in step with it): router.replace
 * would render the page's server component again on every keystroke in the search box, and two quick
 * updates would each start from the URL before the other landed, so one would undo the other.
 */
export function useViewState(): [ViewState, (patch: Partial<ViewState>) => void] {
  const params = useSearchParams();
  const state: ViewState = {
    kind: params.get("kind") ?? OVERVIEW_KEY,
    namespace: params.get("namespace") ?? "",
    q: params.get("q") ?? "",
    status: params.get("status") ?? "",
    selector: params.get("selector") ?? "",
    sort: params.get("sort") ?? "",
    open: params.get("open"),
  };
  const update = useCallback((patch: Partial<ViewState>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const qs = next.toString();
    window.history.replaceState(null, "", qs ? `${window.location.pathname}?${qs}` : window.location.pathname);
  }, []);
  return [state, update];
}

const NO_KINDS: Kind[] = [];

/** Kind and namespace pickers, shared by the Overview and the tables; `discover` once the view's stream is live. */
export function Pickers({
  agentId,
  view,
  setView,
  namespaced,
  namespaces,
  canListNamespaces,
  discover,
}: {
  agentId: string;
  view: ViewState;
  setView: (p: Partial<ViewState>) => void;
  namespaced: boolean;
  namespaces: string[];
  canListNamespaces: boolean;
  discover: boolean;
}) {
  const [wanted, setWanted] = useState(false);
  const more = useCustomKinds(agentId, discover || wanted);
  return (
    <>
      <KindPicker
        value={view.kind}
        onPick={(kind) => setView({ kind, status: "", sort: "", open: null })}
        discovered={more.data ?? NO_KINDS}
        discovery={more.isPending ? "loading" : more.isError ? "error" : "ready"}
        onWanted={() => setWanted(true)}
      />
      {namespaced ? (
        <NamespacePicker view={view} setView={setView} namespaces={namespaces} canListNamespaces={canListNamespaces} />
      ) : null}
    </>
  );
}

/**
 * One namespace or all from the select; "Several…" opens a list of checkboxes to show a few at once
 * (namespace=a,b). Without the right to list namespaces, names are typed, comma-separated.
 */
function NamespacePicker({
  view,
  setView,
  namespaces,
  canListNamespaces,
}: {
  view: ViewState;
  setView: (p: Partial<ViewState>) => void;
  namespaces: string[];
  canListNamespaces: boolean;
}) {
  const chosen = namespaceList(view.namespace);
  const several = chosen.length > 1;
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const set = (names: string[]) => setView({ namespace: names.join(","), open: null });
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !toggle.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);
  if (!canListNamespaces)
    // Not allowed to list namespaces: name them (the cluster's RBAC decides what shows).
    return (
      <label className="text-sm">
        <span className="block text-zinc-600 dark:text-zinc-400">Namespace</span>
        <input
          aria-label="Namespace"
          defaultValue={view.namespace}
          onKeyDown={(e) => {
            if (e.key === "Enter") set(namespaceList((e.target as HTMLInputElement).value).slice(0, MAX_NAMESPACES));
          }}
          onBlur={(e) => {
            const names = namespaceList(e.target.value).slice(0, MAX_NAMESPACES);
            if (names.join(",") !== view.namespace) set(names);
          }}
          placeholder="namespace(s), then Enter"
          className={inputClass}
        />
      </label>
    );
  // Deep-linked namespaces stay selectable before the list arrives.
  const all = [...new Set([...chosen, ...namespaces])].sort();
  return (
    <div className="relative flex min-w-0 max-w-full flex-wrap items-end gap-2 text-sm">
      <label>
        <span className="block text-zinc-600 dark:text-zinc-400">Namespace</span>
        <select
          aria-label="Namespace"
          value={view.namespace}
          onChange={(e) => set(namespaceList(e.target.value))}
          className={inputClass.replace("max-w-full", "max-w-[14rem]")}
        >
          <option value="">All namespaces</option>
          {several ? (
            <option value={view.namespace} title={chosen.join(", ")}>{`${chosen.length} namespaces`}</option>
          ) : null}
          {all.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls="namespace-choices"
        onClick={() => setOpen((o) => !o)}
        className="mb-0.5 rounded-md border border-zinc-300 px-2 py-1.5 hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        Several…
      </button>
      {open ? (
        <div
          ref={panel}
          id="namespace-choices"
          // A sheet along the bottom of a phone's screen; a drop-down under the button on a wider one.
          role="group"
          aria-label="Namespaces"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.stopPropagation();
              setOpen(false);
              toggle.current?.focus();
            }
          }}
          className="fixed inset-x-4 bottom-4 z-30 max-h-72 overflow-auto sm:absolute sm:inset-x-auto sm:bottom-auto sm:left-0 sm:top-full sm:mt-1 sm:w-72 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-950"
        >
          <p className="mb-1 text-xs text-zinc-500">Up to {MAX_NAMESPACES}; none is all namespaces. Escape closes.</p>
          {all.map((n) => {
            const checked = chosen.includes(n);
            return (
              <label key={n} className="flex items-center gap-2 py-0.5">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!checked && chosen.length >= MAX_NAMESPACES}
                  onChange={() => set(checked ? chosen.filter((c) => c !== n) : [...chosen, n].sort())}
                />
                <span className="truncate">{n}</span>
              </label>
            );
          })}
          {all.length === 0 ? <p className="text-xs text-zinc-500">No namespaces yet.</p> : null}
        </div>
      ) : null}
    </div>
  );
}

export function namespaceNames(collection: Map<string, KubeItem> | undefined): string[] {
  return [...(collection?.values() ?? [])].map((n) => n.metadata.name).sort();
}
