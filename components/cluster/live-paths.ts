// Which collections a cluster view streams, from its URL alone, and the stream's address. The page's views
// (the tables, the Overview) open them; the tab's server component starts the same stream while the page's
// scripts are still loading (early-stream.ts), so both must ask for exactly the same thing. No React, no
// "use client": the server imports it too.
import { checkLabelSelector, withLabelSelector } from "@/lib/cluster-cache/label-selector";
import { KINDS, type Kind } from "./kinds";

export const OVERVIEW_KEY = "overview";
export const NAMESPACES_PATH = "/api/v1/namespaces";
/** The most namespaces one table shows at once: each is a stream of its own (twelve per page at most). */
export const MAX_NAMESPACES = 10;
/** The Overview's stream after the namespaces: what its figures need. */
export const OVERVIEW_SOURCES = ["nodes", "pods", "deployments", "statefulsets", "daemonsets", "events"] as const;

/** The namespaces of `namespace=a,b`: none is all of them. */
export function namespaceList(param: string): string[] {
  return [
    ...new Set(
      param
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
}

/** The namespaces a table of `kind` shows (none: all), from the URL's `namespace=`. */
export function tableNamespaces(kind: Pick<Kind, "namespaced">, namespaceParam: string): string[] {
  return kind.namespaced ? namespaceList(namespaceParam).slice(0, MAX_NAMESPACES) : [];
}

/**
 * A table's stream: the namespaces (for the picker), then one collection per namespace chosen (or one for
 * all), each narrowed by the label selector (already checked).
 */
export function tableStreamPaths(kind: Pick<Kind, "namespaced" | "path">, namespaces: string[], selector: string) {
  const scopes = kind.namespaced && namespaces.length ? namespaces : [null];
  return [NAMESPACES_PATH, ...scopes.map((ns) => withLabelSelector(kind.path(ns), selector))];
}

/** The Overview's stream: several namespaces are the cluster-wide collections, narrowed on the page. */
export function overviewStreamPaths(namespaceParam: string): string[] {
  const chosen = namespaceList(namespaceParam);
  const one = chosen.length === 1 ? chosen[0]! : null;
  return [NAMESPACES_PATH, ...OVERVIEW_SOURCES.map((key) => KINDS.find((k) => k.key === key)!.path(one))];
}

/**
 * The stream a view of the URL's `kind`, `namespace` and `selector` opens first, or null when only the page
 * can tell (a custom resource's collection comes from discovery).
 */
export function viewStreamPaths(params: { kind?: string; namespace?: string; selector?: string }): string[] | null {
  const kindKey = params.kind ?? OVERVIEW_KEY;
  if (kindKey === OVERVIEW_KEY) return overviewStreamPaths(params.namespace ?? "");
  const kind = KINDS.find((k) => k.key === kindKey);
  if (!kind) return null;
  const checked = checkLabelSelector(params.selector ?? "");
  return tableStreamPaths(kind, tableNamespaces(kind, params.namespace ?? ""), checked.ok ? checked.selector : "");
}

/** The live stream's address; `lastEventId` resumes where a closed stream stopped. */
export function liveStreamUrl(agentId: string, paths: readonly string[], lastEventId?: string | null): string {
  const q = new URLSearchParams();
  for (const p of paths) q.append("path", p);
  if (lastEventId) q.set("lastEventId", lastEventId);
  return `/api/agents/${agentId}/live?${q}`;
}
