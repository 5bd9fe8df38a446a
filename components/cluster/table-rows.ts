// A live table's columns and rows: the collection searched (name or namespace), narrowed to one status,
// and sorted by any column (sort.ts) or by name; and the statuses its Status filter offers. Pure, so
// 10,000 rows are cheap to test.
import type { Kind, KubeItem } from "./kinds";
import { ageOf } from "./values";
import { byName, cellKey, columnId, sortBy, type CellKey, type SortState } from "./sort";

export { byName };

/** More distinct statuses than this (free text, counts) make a poor filter: the Status select is left out. */
export const MAX_STATUS_CHOICES = 30;

export interface TableColumn {
  /** The column's id in the URL's `sort=`. */
  id: string;
  name: string;
  value: (o: KubeItem, now: number) => string;
  /** What the column sorts by when its text says less (Age: the exact time, not "3d"). */
  sortKey?: (o: KubeItem, now: number) => CellKey;
}

/** Columns the page adds from elsewhere than the object (CPU and memory from metrics.k8s.io), before Age. */
export type AddedColumn = Omit<TableColumn, "id">;

/**
 * Name, Namespace, then Status (or a custom resource's printer columns) and kubectl's wide columns, then
 * any added columns, then Age.
 */
export function tableColumns(
  kind: Pick<Kind, "status" | "statusLabel" | "columns" | "extraColumns">,
  added: readonly AddedColumn[] = [],
): TableColumn[] {
  const middle = kind.columns ?? [
    { name: kind.statusLabel ?? "Status", value: (o: KubeItem) => kind.status(o) },
    ...(kind.extraColumns ?? []),
  ];
  const columns: TableColumn[] = [
    { id: "name", name: "Name", value: (o) => o.metadata.name },
    { id: "namespace", name: "Namespace", value: (o) => o.metadata.namespace ?? "—" },
    ...middle.map((c) => ({ id: columnId(c.name), name: c.name, value: c.value })),
    ...added.map((c) => ({ ...c, id: columnId(c.name) })),
    {
      id: "age",
      name: "Age",
      value: (o, now) => ageOf(o.metadata.creationTimestamp, now),
      sortKey: (o, now) => {
        const at = Date.parse(o.metadata.creationTimestamp ?? "");
        return Number.isNaN(at) ? { kind: "empty" } : { kind: "duration", s: (now - at) / 1000 };
      },
    },
  ];
  // Two headings with one id (a printer column named "Name"): the first keeps it.
  const seen = new Set<string>();
  return columns.map((c) => {
    let id = c.id || "column";
    for (let i = 2; seen.has(id); i++) id = `${c.id || "column"}-${i}`;
    seen.add(id);
    return { ...c, id };
  });
}

/** Name (natural order), then namespace: the table's own order and every sort's tie-break. */
const byNameThenNamespace = (a: KubeItem, b: KubeItem) =>
  byName(a.metadata.name, b.metadata.name) || byName(a.metadata.namespace ?? "", b.metadata.namespace ?? "");

export function tableRows(
  items: Iterable<KubeItem>,
  kind: Pick<Kind, "status" | "statusLabel" | "columns" | "extraColumns">,
  { q, status, sort, added }: { q: string; status: string; sort: SortState | null; added?: readonly AddedColumn[] },
  now = Date.now(),
): KubeItem[] {
  const query = q.trim().toLowerCase();
  const rows = [...items].filter(
    (o) =>
      (!query ||
        o.metadata.name.toLowerCase().includes(query) ||
        (o.metadata.namespace ?? "").toLowerCase().includes(query)) &&
      (!status || kind.status(o) === status),
  );
  const column = sort ? tableColumns(kind, added).find((c) => c.id === sort.column) : undefined;
  if (!sort || !column) return rows.sort(byNameThenNamespace);
  const key = column.sortKey ?? ((o: KubeItem, t: number) => cellKey(column.value(o, t)));
  return sortBy(rows, (o) => key(o, now), sort.dir, byNameThenNamespace);
}

/** The statuses the table holds, sorted; the current one (from a link) always stays offered. */
export function statusChoices(
  items: Iterable<KubeItem>,
  kind: Pick<Kind, "status" | "columns">,
  current: string,
): string[] {
  if (kind.columns) return [];
  const seen = new Set<string>(current ? [current] : []);
  for (const o of items) {
    seen.add(kind.status(o));
    if (seen.size > MAX_STATUS_CHOICES) return current ? [current] : [];
  }
  seen.delete("");
  return [...seen].sort(byName);
}
