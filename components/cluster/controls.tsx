"use client";
// What every cluster view shares: the view's state in the URL, the kind and namespace pickers, the chip.
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { fetchJson } from "@/components/providers";
import type { DiscoveredResource } from "@/lib/cluster-cache";
import { customKinds } from "./custom-kinds";
import { KINDS, type Kind, type KubeItem } from "./kinds";
import type { LiveStatus } from "./use-live";

export const OVERVIEW_KEY = "overview";
export const NAMESPACES_PATH = "/api/v1/namespaces";
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

/** The view's state as URL search params: kind, namespace, q (search), status (exact) and open (namespace/name). */
export interface ViewState {
  kind: string;
  namespace: string;
  q: string;
  status: string;
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
      <label className="min-w-0 max-w-full text-sm">
        <span className="block text-zinc-600 dark:text-zinc-400">Kind</span>
        <select
          aria-label="Kind"
          value={view.kind}
          onFocus={() => setWanted(true)}
          onChange={(e) => setView({ kind: e.target.value, status: "", open: null })}
          className={inputClass}
        >
          <option value={OVERVIEW_KEY}>Overview</option>
          {KINDS.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
          <optgroup label={more.isPending ? "More… (loading)" : more.isError ? "More… (unavailable)" : "More…"}>
            {(more.data ?? []).map((k) => (
              <option key={k.key} value={k.key}>
                {k.label}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      {namespaced ? (
        <label className="text-sm">
          <span className="block text-zinc-600 dark:text-zinc-400">Namespace</span>
          {canListNamespaces ? (
            <select
              aria-label="Namespace"
              value={view.namespace}
              onChange={(e) => setView({ namespace: e.target.value, open: null })}
              className={inputClass}
            >
              <option value="">All namespaces</option>
              {/* A deep-linked namespace stays selectable before the list arrives. */}
              {[...new Set([...(view.namespace ? [view.namespace] : []), ...namespaces])].sort().map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          ) : (
            // Not allowed to list namespaces: name one (the cluster's RBAC decides what shows).
            <input
              aria-label="Namespace"
              defaultValue={view.namespace}
              onKeyDown={(e) => {
                if (e.key === "Enter") setView({ namespace: (e.target as HTMLInputElement).value.trim(), open: null });
              }}
              onBlur={(e) => {
                if (e.target.value.trim() !== view.namespace) setView({ namespace: e.target.value.trim(), open: null });
              }}
              placeholder="namespace, then Enter"
              className={inputClass}
            />
          )}
        </label>
      ) : null}
    </>
  );
}

export function namespaceNames(collection: Map<string, KubeItem> | undefined): string[] {
  return [...(collection?.values() ?? [])].map((n) => n.metadata.name).sort();
}
