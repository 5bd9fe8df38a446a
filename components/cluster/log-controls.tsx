"use client";
// The controls a log view shares, a pod's own (pod-logs.tsx) and a workload's pods' (workload-logs.tsx): the
// viewer's choices (useLogOptions) and the toolbar that sets them with the view's status line (LogToolbar),
// built of a labelled choice, a search field, a checkbox, and saving what the view holds as a file.
import { useState, type ReactNode } from "react";
import { saveTextFile } from "@/components/ui/download-button";
import { plural } from "@/components/ui/plural";
import { inputClass } from "./controls";

/** A log line's height when lines are not wrapped (the virtualizer's estimate). */
export const LINE_HEIGHT = 18;

export type LogState = "loading" | "following" | "ended" | "error";

/** Whether a log view keeps to its newest line, and where it was last scrolled to. */
export interface Stick {
  atBottom: boolean;
  top: number;
}

/**
 * A log view's scroll handler: it keeps to the newest line until the reader scrolls up, and again once they are
 * back at the bottom. The view's own scrolls to the newest line only go down, even when lines arrive faster
 * than it scrolls (so the bottom has moved on when the scroll event comes).
 */
export function onLogScroll(el: HTMLElement, stick: Stick): void {
  if (el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT * 2) stick.atBottom = true;
  else if (el.scrollTop < stick.top) stick.atBottom = false;
  stick.top = el.scrollTop;
}

export const SINCE_CHOICES: [string, string][] = [
  ["", "All time"],
  ["300", "5 minutes"],
  ["3600", "1 hour"],
  ["86400", "24 hours"],
];
export const TAIL_CHOICES: [string, string][] = [
  ["100", "100"],
  ["500", "500"],
  ["5000", "5,000"],
  ["100000", "100,000"],
  ["", "All"],
];

/** What the viewer chose of a log: as `kubectl logs` flags, plus wrap and search, which stay in the page. */
export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  wrap: boolean;
  /** Lines of each log to start from ("" for all). */
  tailLines: string;
  /** Seconds back to start from ("" for all time). */
  sinceSeconds: string;
  search: string;
}

/** A log view's choices, following from the start; `set` changes some of them. */
export function useLogOptions(tailLines: string) {
  const [options, setOptions] = useState<LogOptions>({
    follow: true,
    previous: false,
    timestamps: false,
    wrap: false,
    tailLines,
    sinceSeconds: "",
    search: "",
  });
  const set = (change: Partial<LogOptions>) => setOptions((o) => ({ ...o, ...change }));
  return [options, set] as const;
}

/** The status line's words: loading, following (`logs` of them, when several) with the lines held, or ended. */
export function logStatus(s: { state: LogState; lines: number; logs?: number; matches: number | null }): string {
  const base =
    s.state === "loading"
      ? "Loading…"
      : s.state === "following"
        ? `Following${s.logs === undefined ? "" : ` ${plural(s.logs, "log")}`} · ${plural(s.lines, "line")}`
        : s.state === "ended"
          ? plural(s.lines, "line")
          : "";
  return base + (s.matches === null ? "" : ` · ${plural(s.matches, "match", "matches")}`);
}

/**
 * The toolbar of a log view: `source` (the container or pod picked), since, tail and search on the first row;
 * follow, `checks` (the view's own), previous instance, timestamps, wrap, download and the status line on
 * the second.
 */
export function LogToolbar({
  options,
  set,
  source,
  checks,
  tailLabel,
  searchLabel,
  onDownload,
  canDownload,
  state,
  lines,
  logs,
  matches,
}: {
  options: LogOptions;
  set: (change: Partial<LogOptions>) => void;
  source: ReactNode;
  checks?: ReactNode;
  tailLabel: string;
  searchLabel: string;
  onDownload: () => void;
  canDownload: boolean;
  state: LogState;
  /** Lines held. */
  lines: number;
  /** Logs followed, for a view of several. */
  logs?: number;
  /** Lines the search leaves, or null when nothing is searched. */
  matches: number | null;
}) {
  return (
    <>
      <div className="flex flex-wrap items-end gap-3">
        {source}
        <LogChoice
          label="Since"
          value={options.sinceSeconds}
          onChange={(sinceSeconds) => set({ sinceSeconds })}
          choices={SINCE_CHOICES}
        />
        <LogChoice
          label={tailLabel}
          value={options.tailLines}
          onChange={(tailLines) => set({ tailLines })}
          choices={TAIL_CHOICES}
        />
        <LogSearch label={searchLabel} value={options.search} onChange={(search) => set({ search })} />
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <LogCheck
          label="Follow"
          checked={options.follow}
          onChange={(follow) => set({ follow })}
          disabled={options.previous}
        />
        {checks}
        <LogCheck label="Previous instance" checked={options.previous} onChange={(previous) => set({ previous })} />
        <LogCheck label="Timestamps" checked={options.timestamps} onChange={(timestamps) => set({ timestamps })} />
        <LogCheck label="Wrap lines" checked={options.wrap} onChange={(wrap) => set({ wrap })} />
        <LogDownloadButton onClick={onDownload} disabled={!canDownload} />
        <span role="status" data-log-state={state} className="ml-auto text-xs text-zinc-500">
          {logStatus({ state, lines, logs, matches })}
        </span>
      </div>
    </>
  );
}

export function LogChoice({
  label,
  value,
  onChange,
  choices,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  choices: readonly (readonly [value: string, label: string])[];
}) {
  return (
    <label className="text-sm">
      <span className="block text-zinc-600 dark:text-zinc-400">{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        {choices.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

export function LogSearch({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="text-sm">
      <span className="block text-zinc-600 dark:text-zinc-400">{label}</span>
      <input
        type="search"
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={inputClass}
      />
    </label>
  );
}

export function LogCheck({
  label,
  checked,
  onChange,
  disabled = false,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label className={`flex items-center gap-1.5 text-sm ${disabled ? "opacity-50" : ""}`}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Saves `lines` as a text file named `fileName`, as the browser saves a download. */
export function downloadLines(fileName: string, lines: readonly string[]): void {
  saveTextFile(lines.join("\n") + "\n", fileName);
}

export function LogDownloadButton({ onClick, disabled }: { onClick: () => void; disabled: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      className="text-sm underline disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      Download
    </button>
  );
}
