// An opt-in timeline of each tunnelled request at each hop, to find what waits: with
// TETHER_TUNNEL_TRACE=<file>, web's tunnel client, kas and the agent each append one JSON line per
// request to that file (wall-clock milliseconds, so the processes of one machine line up): when the
// request reached the hop, named moments (header sent, answer's header seen, …) and, per flow of body
// bytes (from the API server, to kas, to web, …), the message count, bytes, first and last arrival.
// Unset (the default), every call here is a no-op: nothing is recorded or written.
import fs from "node:fs";
import { z } from "zod";

const traceFileSchema = z.string().min(1, "TETHER_TUNNEL_TRACE must name a file to append the trace to").optional();
/** Read when first needed, so a bench can turn tracing on for its own process before its first request. */
let traceFile: { file: string | undefined } | null = null;

/** Wall-clock milliseconds with sub-millisecond resolution. */
const now = () => performance.timeOrigin + performance.now();

interface Flow {
  n: number;
  bytes: number;
  first: number;
  last: number;
}

/** One hop's record of one request. */
export interface HopTrace {
  /** A named moment, the first time it happens. */
  mark(event: string): void;
  /** A message (or read) of `bytes` in the named flow of body bytes. */
  flow(name: string, bytes: number): void;
  /** Appends the record to the trace file (once). */
  done(): void;
}

export interface TraceRecord {
  hop: string;
  path: string;
  start: number;
  marks: Record<string, number>;
  flows: Record<string, Flow>;
}

/** Starts a hop's record of one request, or null when tracing is off. */
export function traceHop(hop: string, path: string): HopTrace | null {
  // Read once: off (the default) costs one property read per request.
  traceFile ??= { file: traceFileSchema.parse(process.env.TETHER_TUNNEL_TRACE || undefined) };
  const file = traceFile.file;
  if (!file) return null;
  const rec: TraceRecord = { hop, path, start: now(), marks: {}, flows: {} };
  let written = false;
  return {
    mark(event) {
      rec.marks[event] ??= now();
    },
    flow(name, bytes) {
      const t = now();
      const f = (rec.flows[name] ??= { n: 0, bytes: 0, first: t, last: t });
      f.n++;
      f.bytes += bytes;
      f.last = t;
    },
    done() {
      if (written) return;
      written = true;
      rec.marks.done = now();
      fs.appendFileSync(file, `${JSON.stringify(rec)}\n`);
    },
  };
}

/** Reads a trace file back (the benches print a per-hop breakdown from it). */
export function readTrace(file: string): TraceRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TraceRecord);
}
