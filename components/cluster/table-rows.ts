// A live table's rows: the collection searched (name or namespace), narrowed to one status, and sorted by
// name or newest first; and the statuses its Status filter offers. Pure, so 10,000 rows are cheap to test.
import type { Kind, KubeItem } from "./kinds";

export type SortKey = "name" | "age";

/** One collator for every sort: String.prototype.localeCompare builds one per call, slow over 10,000 rows. */
export const byName = new Intl.Collator(undefined, { numeric: true }).compare;

/** More distinct statuses than this (free text, counts) make a poor filter: the Status select is left out. */
export const MAX_STATUS_CHOICES = 30;

export function tableRows(
  items: Iterable<KubeItem>,
  kind: Pick<Kind, "status">,
  { q, status, sort }: { q: string; status: string; sort: SortKey },
): KubeItem[] {
  const query = q.trim().toLowerCase();
  const rows = [...items].filter(
    (o) =>
      (!query ||
        o.metadata.name.toLowerCase().includes(query) ||
        (o.metadata.namespace ?? "").toLowerCase().includes(query)) &&
      (!status || kind.status(o) === status),
  );
  if (sort === "name") return rows.sort((a, b) => byName(a.metadata.name, b.metadata.name));
  // Newest first; ISO 8601 times in UTC sort as strings.
  const at = (o: KubeItem) => o.metadata.creationTimestamp ?? "";
  return rows.sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0));
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
