"use client";
// A unified line diff as a table: old and new line numbers, + and − (spoken as "added" and "removed"),
// hunks of changed lines with a few lines of context. Plain HTML, no editor needed to read it.
import { useMemo } from "react";
import { describeDiff, lineDiff } from "./line-diff";

export function DiffView({
  before,
  after,
  caption,
  context = 3,
}: {
  before: string;
  after: string;
  /** Says what is compared, e.g. "Version 2 → version 3"; read by screen readers. */
  caption: string;
  context?: number;
}) {
  const d = useMemo(() => lineDiff(before, after, context), [before, after, context]);
  return (
    <div className="space-y-2">
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="diff-summary">
        {describeDiff(d)}.
      </p>
      {d.hunks.length ? (
        <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full border-collapse font-mono text-xs leading-5">
            <caption className="sr-only">{caption}</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">Old line</th>
                <th scope="col">New line</th>
                <th scope="col">Change</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            {d.hunks.map((h) => (
              <tbody key={h.header} className="border-t border-zinc-200 first:border-t-0 dark:border-zinc-800">
                <tr className="bg-zinc-50 text-zinc-500 dark:bg-zinc-900">
                  <td colSpan={4} className="px-2 py-0.5">
                    {h.header}
                  </td>
                </tr>
                {h.lines.map((l, i) => (
                  <tr
                    key={i}
                    data-kind={l.kind}
                    className={
                      l.kind === "add"
                        ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                        : l.kind === "del"
                          ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200"
                          : undefined
                    }
                  >
                    <td className="w-10 select-none px-2 text-right text-zinc-400">{l.oldLine ?? ""}</td>
                    <td className="w-10 select-none px-2 text-right text-zinc-400">{l.newLine ?? ""}</td>
                    <td className="w-4 select-none text-center">
                      <span aria-hidden>{l.kind === "add" ? "+" : l.kind === "del" ? "−" : ""}</span>
                      <span className="sr-only">{l.kind === "add" ? "added" : l.kind === "del" ? "removed" : ""}</span>
                    </td>
                    <td className="whitespace-pre px-2">{l.text}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      ) : null}
    </div>
  );
}
