"use client";
// The YAML editor and the diff view. CodeMirror is a separate chunk, fetched only when a page shows an
// editor (next/dynamic), so the rest of the app does not carry it.
import dynamic from "next/dynamic";
import type { YamlEditorProps } from "./types";

export const YamlEditor = dynamic<YamlEditorProps>(() => import("./code-editor"), {
  ssr: false,
  loading: () => (
    <div
      role="status"
      className="flex h-40 items-center justify-center rounded-md border border-zinc-300 text-sm text-zinc-500 dark:border-zinc-700"
    >
      Loading the editor…
    </div>
  ),
});

/** What every editor's hint says about leaving it with the keyboard (Tab indents inside). */
export const TAB_HINT =
  "Tab indents; to move focus out of the editor press Esc, then Tab (or Ctrl-M to let Tab move focus).";

export { DiffView } from "./diff-view";
export { describeDiff, lineDiff, type LineDiff } from "./line-diff";
export type { EditorApi, EditorProblem, YamlEditorProps } from "./types";
export { useLeaveGuard } from "./use-leave-guard";
