// Where a page's main thread spends a page load, from a Chromium trace (Playwright's `browser.startTracing`
// with the devtools.timeline categories): the main thread's tasks in time order, each with the work inside it
// (parsing HTML and from which line, evaluating which script, compiling, style, layout, a callback), and the
// gaps in which the main thread was idle. For finding out what holds the HTML parser or hydration back.
// As a command: `npx tsx bench/trace-summary.ts trace.json [min-ms]`.
import fs from "node:fs";
import { pathToFileURL } from "node:url";

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown>; beginData?: Record<string, unknown> };
}

/** Short text for what an event did: the script's file, the HTML lines parsed, the callback's function. */
function label(e: TraceEvent): string {
  const d = e.args?.data ?? {};
  const b = e.args?.beginData ?? {};
  const file = (u: unknown) => (typeof u === "string" ? (u.split("/").pop() ?? u).split("?")[0]!.slice(0, 40) : "");
  switch (e.name) {
    case "ParseHTML":
      return `ParseHTML from line ${String(b.startLine ?? "?")}`;
    case "EvaluateScript":
    case "v8.compile":
    case "v8.compileModule":
      return `${e.name} ${file(d.url ?? d.fileName) || "inline"}`;
    case "FunctionCall":
      return `FunctionCall ${String(d.functionName || "") || file(d.url) || "?"}`;
    case "EventDispatch":
      return `EventDispatch ${String(d.type ?? "")}`;
    case "TimerFire":
    case "FireAnimationFrame":
    case "XHRReadyStateChange":
      return e.name;
    default:
      return e.name;
  }
}

/** The page's main thread: the CrRendererMain thread with the most HTML parsed. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args?.name ?? "");
  const parsed = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === "ParseHTML" && names.get(key) === "CrRendererMain")
      parsed.set(key, (parsed.get(key) ?? 0) + (e.dur ?? 0));
  }
  const best = [...parsed.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  const [pid, tid] = best[0].split(":").map(Number);
  return { pid: pid!, tid: tid! };
}

export function summarizeTrace(raw: unknown, minMs = 5): string {
  const events: TraceEvent[] = Array.isArray(raw) ? raw : ((raw as { traceEvents: TraceEvent[] }).traceEvents ?? []);
  const main = mainThread(events);
  if (!main) return "no main thread with HTML parsing in the trace";
  const nav = events.find((e) => e.name === "navigationStart" && e.pid === main.pid);
  const own = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && typeof e.dur === "number")
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const t0 = nav?.ts ?? own[0]?.ts ?? 0;
  const ms = (us: number) => (us / 1000).toFixed(0);
  const lines: string[] = [];
  // Top-level tasks and, inside each, the time of its children by label (self time of nested ones counted once).
  let i = 0;
  let lastEnd = t0;
  let idle = 0;
  let busy = 0;
  while (i < own.length) {
    const task = own[i]!;
    const end = task.ts + task.dur!;
    const inside: TraceEvent[] = [];
    let j = i + 1;
    while (j < own.length && own[j]!.ts < end) inside.push(own[j++]!);
    i = j;
    if (task.ts < t0) continue;
    if (task.ts > lastEnd) idle += task.ts - lastEnd;
    busy += task.dur!;
    lastEnd = Math.max(lastEnd, end);
    if (task.dur! < minMs * 1000) continue;
    // Children one level down: those not inside an earlier child.
    const byLabel = new Map<string, number>();
    let childEnd = -1;
    for (const c of inside) {
      if (c.ts < childEnd) continue;
      childEnd = c.ts + c.dur!;
      const k = label(c);
      byLabel.set(k, (byLabel.get(k) ?? 0) + c.dur!);
    }
    const parts = [...byLabel.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .filter(([, d]) => d >= 1000)
      .map(([k, d]) => `${k} ${ms(d)}`);
    lines.push(`${ms(task.ts - t0).padStart(6)} +${ms(task.dur!).padStart(4)} ms  ${label(task)}: ${parts.join("; ")}`);
  }
  const span = lastEnd - t0;
  lines.push(
    `main thread from navigation start to its last task, ${ms(span)} ms: busy ${ms(busy)} ms, idle ${ms(idle)} ms`,
  );
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, min] = process.argv.slice(2);
  if (!file) throw new Error("usage: npx tsx bench/trace-summary.ts trace.json [min-ms]");
  console.log(summarizeTrace(JSON.parse(fs.readFileSync(file, "utf8")), Number(min ?? 5)));
}
