// A table's first rows, rendered by the server from a warm cluster cache so that a page load shows them
// before the page's scripts have loaded and hydrated (the live stream then brings the whole collection and
// replaces them). Only what the first screen shows travels: the rows in the view's order, the count, the
// namespaces for the picker. Pure and without React: the server makes it, the page reads it.
import type { Kind, KubeItem } from "./kinds";
import { parseSort } from "./sort";
import { tableRows } from "./table-rows";

/** Rows a seed carries: more than a tall screen shows at once with the table's overscan. */
export const SEED_ROWS = 40;

export interface TableSeed {
  /** The stream it was made for (live-paths.ts), so a page showing another one ignores it. */
  pathsKey: string;
  /** The first rows in the view's order (search, status and sort of the URL applied). */
  items: KubeItem[];
  /** How many rows the whole table has. */
  total: number;
  /** The search, status and sort it was made with: another one on the page makes `total` wrong. */
  view: { q: string; status: string; sort: string };
  /** The cluster's namespaces, names only, for the namespace picker. */
  namespaces: KubeItem[];
  /** The server's clock when it was made: the page's first render dates ages with it, as the server did. */
  now: number;
}

/**
 * The seed of a table from the collections of its stream (namespaces first), or null when any of them is not
 * in the cache yet (the page then waits for the stream as before).
 */
export function tableSeed(
  paths: readonly string[],
  collections: readonly (readonly KubeItem[] | null)[],
  kind: Pick<Kind, "status" | "statusLabel" | "columns" | "extraColumns">,
  view: { q: string; status: string; sort: string },
  now = Date.now(),
): TableSeed | null {
  if (collections.length !== paths.length || collections.some((c) => c === null)) return null;
  const [namespaces, ...tables] = collections as (readonly KubeItem[])[];
  const rows = tableRows(tables.flat(), kind, { q: view.q, status: view.status, sort: parseSort(view.sort) }, now);
  return {
    pathsKey: paths.join("\n"),
    items: rows.slice(0, SEED_ROWS),
    total: rows.length,
    view: { q: view.q, status: view.status, sort: view.sort },
    namespaces: (namespaces ?? []).map((n) => ({ metadata: { name: n.metadata.name } })),
    now,
  };
}
