// Per-hop breakdown of the HTTP-only LIST of 1,000 ConfigMaps (TETHER_TUNNEL_TRACE), printed by bench/tunnel.
import { readTrace, type TraceRecord } from "../../lib/common/tunnel-trace";
import { percentile } from "../common";

/** The traced requests for `path`, matched across hops by order (the bench sends them one at a time). */
export function hopBreakdown(file: string, path: string): string[] {
  const all = readTrace(file).filter((r) => r.path === path);
  const by = (hop: string) => all.filter((r) => r.hop === hop).sort((a, b) => a.start - b.start);
  const web = by("web");
  const kas = by("kas");
  const agent = by("agent");
  const n = Math.min(web.length, kas.length, agent.length);
  if (n === 0) return ["(no trace records: TETHER_TUNNEL_TRACE unset?)"];
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number | undefined) => {
    if (v === undefined || !Number.isFinite(v)) return;
    (rows[k] ??= []).push(v);
  };
  const counts: Record<string, number[]> = {};
  const addCount = (k: string, v: number | undefined) => {
    if (v !== undefined) (counts[k] ??= []).push(v);
  };
  for (let i = 0; i < n; i++) {
    const w: TraceRecord = web[i]!;
    const k: TraceRecord = kas[i]!;
    const a: TraceRecord = agent[i]!;
    const t0 = w.start;
    const rel = (t: number | undefined) => (t === undefined ? undefined : t - t0);
    add("kas has the request (from web)", rel(k.start));
    add("kas hands it to the agent's stream", rel(k.marks["to-agent"]));
    add("agent has the request", rel(a.start));
    add("agent: API server's header", rel(a.marks["upstream-header"]));
    add("agent: first byte from the API server", rel(a.flows["from-apiserver"]?.first));
    add("agent: last byte from the API server", rel(a.flows["from-apiserver"]?.last));
    add("agent: first message to kas", rel(a.flows["to-kas"]?.first));
    add("agent: last message to kas", rel(a.flows["to-kas"]?.last));
    add("kas: header from the agent", rel(k.marks.header));
    add("kas: first message from the agent", rel(k.flows["from-agent"]?.first));
    add("kas: last message from the agent", rel(k.flows["from-agent"]?.last));
    add("web: header", rel(w.marks.header));
    add("web: first message from kas", rel(w.flows["from-kas"]?.first));
    add("web: last message from kas", rel(w.flows["from-kas"]?.last));
    add("web: trailer (end)", rel(w.marks.done));
    addCount("reads from the API server (agent)", a.flows["from-apiserver"]?.n);
    addCount("messages agent → kas", a.flows["to-kas"]?.n);
    addCount("messages kas → web", k.flows["from-agent"]?.n);
    addCount("messages at web", w.flows["from-kas"]?.n);
  }
  const out = [
    `per-hop timeline of the HTTP-only LIST through the tunnel (${n} requests; ms after web's call, p50 / p99):`,
  ];
  for (const [k, v] of Object.entries(rows))
    out.push(
      `  ${k.padEnd(42)} ${percentile(v, 50).toFixed(1).padStart(7)} ${percentile(v, 99).toFixed(1).padStart(7)}`,
    );
  for (const [k, v] of Object.entries(counts))
    out.push(
      `  ${k.padEnd(42)} ${percentile(v, 50).toFixed(0).padStart(7)} ${percentile(v, 99).toFixed(0).padStart(7)}  (count)`,
    );
  return out;
}
