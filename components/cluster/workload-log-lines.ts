// A workload's pods' logs in the browser, the pure parts: the NDJSON events read from the answer, the lines
// held with the log they came from, a colour per log, and which lines the pod filter and the search leave.
import { sourcePrefix, workloadLogEvent, type LogSource, type WorkloadLogEvent } from "@/lib/pod-logs/workload-wire";
import { splitLines } from "./log-lines";

/** One held line: the index of its log in the `sources` event, and its text. */
export interface LogEntry {
  source: number;
  text: string;
}

/** Cuts NDJSON arriving in pieces into events; a line that is not one of the events is an error. */
export function readEvents(rest: string, chunk: string): { events: WorkloadLogEvent[]; rest: string } {
  const cut = splitLines(rest, chunk);
  const events = cut.lines
    .filter((l) => l.trim())
    .map((l) => {
      const e = workloadLogEvent.safeParse(JSON.parse(l));
      if (!e.success) throw new Error(`an unexpected event in the log stream: ${l.slice(0, 80)}`);
      return e.data;
    });
  return { events, rest: cut.rest };
}

/** Text colours for the prefixes, readable on the log's dark background; logs past the eighth reuse them. */
export const PREFIX_COLOURS = [
  "text-sky-400",
  "text-emerald-400",
  "text-amber-300",
  "text-fuchsia-400",
  "text-lime-300",
  "text-orange-400",
  "text-cyan-300",
  "text-rose-400",
] as const;

export function prefixColour(source: number): string {
  return PREFIX_COLOURS[source % PREFIX_COLOURS.length]!;
}

/** A held line as kubectl logs --prefix prints it. */
export function prefixedLine(sources: readonly LogSource[], e: LogEntry): string {
  const s = sources[e.source];
  return s ? `${sourcePrefix(s)} ${e.text}` : e.text;
}

/**
 * The indexes of the lines shown: those of `pod` (every pod when empty) that contain `query` in their prefixed
 * text (case-insensitive); null when neither narrows (every line).
 */
export function shownEntries(
  entries: readonly LogEntry[],
  sources: readonly LogSource[],
  pod: string,
  query: string,
): number[] | null {
  const q = query.trim().toLowerCase();
  if (!q && !pod) return null;
  const out: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (pod && sources[e.source]?.pod !== pod) continue;
    if (q && !prefixedLine(sources, e).toLowerCase().includes(q)) continue;
    out.push(i);
  }
  return out;
}

/** The pods among the logs followed, in their order, once each. */
export function podsOf(sources: readonly LogSource[]): string[] {
  return [...new Set(sources.map((s) => s.pod))];
}
