// An audit log page (server-rendered): who did what and when, newest first, with page links.
import Link from "next/link";
import { formatUtc } from "@/components/agents/format";
import type { AuditPage } from "@/lib/audit/audit-pages";

/** `query`: the filter's query string, kept on every page link. */
function pageHref(base: string, query: string, page: number): string {
  const q = [query, page <= 1 ? "" : `page=${page}`].filter(Boolean).join("&");
  return q ? `${base}?${q}` : base;
}

function Pager({
  base,
  query,
  page,
  pages,
  total,
  pageSize,
}: {
  base: string;
  query: string;
  page: number;
  pages: number;
  total: number;
  pageSize: number;
}) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const link =
    "rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        Events {first}–{last} of {total} · page {page} of {pages}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link href={pageHref(base, query, page - 1)} rel="prev" className={link}>
            Newer events
          </Link>
        ) : null}
        {page < pages ? (
          <Link href={pageHref(base, query, page + 1)} rel="next" className={link}>
            Older events
          </Link>
        ) : null}
      </div>
    </nav>
  );
}

export function AuditLog({
  log,
  base,
  caption,
  query = "",
}: {
  log: AuditPage;
  base: string;
  caption: string;
  /** The filter's query string ("" when unfiltered). */
  query?: string;
}) {
  if (log.total === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 px-6 py-12 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        {query ? "No events match these filters." : "No events recorded yet."}
      </p>
    );
  }
  return (
    <>
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{caption}, newest first</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                When
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Who
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                What
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Details
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-900">
            {log.rows.map((r) => (
              <tr key={r.id} data-action={r.action}>
                <td className="whitespace-nowrap px-4 py-3">
                  <time dateTime={r.createdAt}>{formatUtc(r.createdAt)}</time>
                </td>
                <td className="whitespace-nowrap px-4 py-3">
                  {r.actor ?? <span className="text-zinc-500">Unknown</span>}
                </td>
                <th scope="row" className="px-4 py-3 font-normal">
                  <span className="block">{r.summary}</span>
                  <code className="text-xs text-zinc-500">{r.action}</code>
                </th>
                <td className="px-4 py-3">
                  {r.details.length || r.ip ? (
                    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
                      {r.details.map((d) => (
                        <div key={d.label} className="contents">
                          <dt className="text-zinc-500">{d.label}</dt>
                          <dd className="break-words">{d.value}</dd>
                        </div>
                      ))}
                      {r.ip ? (
                        <div className="contents">
                          <dt className="text-zinc-500">IP address</dt>
                          <dd>{r.ip}</dd>
                        </div>
                      ) : null}
                    </dl>
                  ) : (
                    <span className="text-zinc-500">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager base={base} query={query} page={log.page} pages={log.pages} total={log.total} pageSize={log.pageSize} />
    </>
  );
}
