// A table in its own bordered box that scrolls sideways on a narrow screen: a caption for screen readers,
// a header row of plain column names (or the caller's own header cells) and the caller's rows.
import type { ReactNode } from "react";

export const headerCell = "px-4 py-2 font-medium";

export function DataTable({
  caption,
  columns,
  head,
  actions = false,
  testId,
  children,
}: {
  caption: ReactNode;
  /** Plain column names; or `head`, the caller's own header cells (a sort button in each, say). */
  columns?: readonly string[];
  head?: ReactNode;
  /** A last column of buttons, named "Actions" for screen readers only. */
  actions?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
          <tr>
            {head}
            {columns?.map((c) => (
              <th key={c} scope="col" className={headerCell}>
                {c}
              </th>
            ))}
            {actions ? (
              <th scope="col" className={headerCell}>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">{children}</tbody>
      </table>
    </div>
  );
}
