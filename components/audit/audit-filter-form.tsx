// The audit log's filters as a plain GET form (works without JavaScript; the URL holds the filter, so a
// filtered view can be shared), and the CSV export of what it selects.
import Link from "next/link";
import { AUDIT_ACTION_CHOICES, auditFilterQuery, isFiltered, type AuditFilter } from "@/lib/audit/audit-filter";

const input =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";
const labelCls = "block text-sm font-medium text-zinc-700 dark:text-zinc-300";

export function AuditFilterForm({
  base,
  filter,
  exportHref,
  error,
  agents,
}: {
  base: string;
  filter: AuditFilter;
  /** The CSV export URL for this filter. */
  exportHref: string | null;
  /** A bad filter value: what is wrong with it. */
  error?: string;
  /** Agent names to suggest. */
  agents: string[];
}) {
  return (
    <form
      method="get"
      action={base}
      aria-label="Filter the audit log"
      className="mb-6 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <div className="space-y-1 sm:col-span-2 lg:col-span-3">
          <label htmlFor="audit-q" className={labelCls}>
            Search
          </label>
          <input
            id="audit-q"
            name="q"
            type="search"
            defaultValue={filter.q ?? ""}
            placeholder="A name, path, token, address…"
            className={input}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-actor" className={labelCls}>
            Actor
          </label>
          <input
            id="audit-actor"
            name="actor"
            defaultValue={filter.actor ? `@${filter.actor}` : ""}
            placeholder="@username"
            className={input}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-action" className={labelCls}>
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={filter.action ?? ""} className={input}>
            <option value="">Any action</option>
            {AUDIT_ACTION_CHOICES.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-agent" className={labelCls}>
            Agent
          </label>
          <input
            id="audit-agent"
            name="agent"
            list="audit-agent-names"
            defaultValue={filter.agent ?? ""}
            placeholder="Agent name"
            className={input}
          />
          <datalist id="audit-agent-names">
            {agents.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-from" className={labelCls}>
            From (UTC)
          </label>
          <input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ""} className={input} />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-to" className={labelCls}>
            To (UTC, inclusive)
          </label>
          <input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ""} className={input} />
        </div>
      </div>
      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button
          type="submit"
          className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2"
        >
          Apply filters
        </button>
        {isFiltered(filter) || error ? (
          <Link href={base} className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
            Clear filters
          </Link>
        ) : null}
        {exportHref ? (
          <a
            href={exportHref}
            download
            className="ml-auto rounded-md border border-zinc-300 px-3.5 py-2 text-sm font-medium hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Export CSV
          </a>
        ) : null}
      </div>
    </form>
  );
}

export function exportHref(filter: AuditFilter, project?: string): string {
  return `/api/audit/export?${auditFilterQuery(filter, project ? { project } : {})}`;
}
