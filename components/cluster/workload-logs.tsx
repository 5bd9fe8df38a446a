"use client";
// The logs of a workload's pods in its drawer (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job): opened
// on request (it follows up to 10 logs at once), read from the cluster as the viewer in one stream, lines
// interleaved as they arrive with a coloured [pod/container] prefix; a pod filter, search, follow, since and
// tail, timestamps, wrap and download as the pod's own log has them. Following, pods that come later (scale
// up, rollout) are followed as they run, and a deleted pod's logs are marked as ended.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { ErrorState } from "@/components/ui/states";
import {
  MAX_WORKLOAD_LOG_STREAMS,
  sourcePrefix,
  type LogSource,
  type WorkloadLogKind,
} from "@/lib/pod-logs/workload-wire";
import {
  downloadLines,
  LINE_HEIGHT,
  LogCheck,
  LogChoice,
  LogToolbar,
  onLogScroll,
  useLogOptions,
  type LogState,
  type Stick,
} from "./log-controls";
import type { KubeItem } from "./kinds";
import { keepNewest, MAX_LOG_LINES } from "./log-lines";
import { podsOf, prefixColour, prefixedLine, readEvents, shownEntries, type LogEntry } from "./workload-log-lines";

export function WorkloadLogs({ agentId, kind, object }: { agentId: string; kind: WorkloadLogKind; object: KubeItem }) {
  const [open, setOpen] = useState(false);
  const { name } = object.metadata;
  return (
    <section aria-label="Logs of its pods" className="space-y-2">
      <div className="flex items-center justify-between gap-3">
        <h4 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Logs of its pods</h4>
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className="text-sm underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          {open ? "Stop and hide" : "Show logs"}
        </button>
      </div>
      {open ? (
        <WorkloadLogsPanel agentId={agentId} kind={kind} object={object} />
      ) : (
        <p className="text-xs text-zinc-500">
          Follows the logs of {name}&apos;s pods together (up to {MAX_WORKLOAD_LOG_STREAMS} at once), each line marked
          with its pod and container.
        </p>
      )}
    </section>
  );
}

function WorkloadLogsPanel({ agentId, kind, object }: { agentId: string; kind: WorkloadLogKind; object: KubeItem }) {
  const { name, namespace = "" } = object.metadata;
  const [options, set] = useLogOptions("100");
  const { follow, previous, timestamps, wrap, tailLines, sinceSeconds, search } = options;
  const [allContainers, setAllContainers] = useState(false);
  const [pod, setPod] = useState("");
  const [state, setState] = useState<LogState>("loading");
  const [error, setError] = useState("");
  const [dropped, setDropped] = useState(0);
  const [sources, setSources] = useState<LogSource[]>([]);
  const [total, setTotal] = useState(0);
  const [ended, setEnded] = useState<Map<number, string | null>>(new Map());
  // Logs whose pod was deleted while followed, and why new pods are no longer picked up (if they are not).
  const [gone, setGone] = useState<ReadonlySet<number>>(new Set());
  const [unwatched, setUnwatched] = useState("");
  // Lines live in a ref (a followed log grows by thousands a second); `version` redraws once a frame.
  const entries = useRef<LogEntry[]>([]);
  const [version, setVersion] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef<Stick>({ atBottom: true, top: 0 });

  const query = useMemo(() => {
    const q = new URLSearchParams({ namespace, kind, name });
    if (allContainers) q.set("allContainers", "true");
    if (follow && !previous) q.set("follow", "true");
    if (previous) q.set("previous", "true");
    if (timestamps) q.set("timestamps", "true");
    if (tailLines) q.set("tailLines", tailLines);
    if (sinceSeconds) q.set("sinceSeconds", sinceSeconds);
    return q.toString();
  }, [namespace, kind, name, allContainers, follow, previous, timestamps, tailLines, sinceSeconds]);

  useEffect(() => {
    const abort = new AbortController();
    let frame = 0;
    const redraw = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion((v) => v + 1);
        });
    };
    entries.current = [];
    stick.current = { atBottom: true, top: 0 };
    setDropped(0);
    setError("");
    setSources([]);
    setEnded(new Map());
    setGone(new Set());
    setUnwatched("");
    setState("loading");
    setVersion((v) => v + 1);
    (async () => {
      const res = await fetch(`/api/agents/${encodeURIComponent(agentId)}/workload-logs?${query}`, {
        signal: abort.signal,
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        setError(body.error ?? `The logs could not be read (${res.status})`);
        setState("error");
        return;
      }
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let rest = "";
      let droppedSoFar = 0;
      // The logs followed so far (a line names its log by index), as the events say.
      let followed: LogSource[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const cut = readEvents(rest, value);
        rest = cut.rest;
        for (const e of cut.events) {
          if (e.type === "sources") {
            followed = e.sources;
            setSources(followed);
            setTotal(e.total);
            setState(query.includes("follow=true") ? "following" : "loading");
          } else if (e.type === "lines") {
            const gone = keepNewest(
              entries.current,
              e.lines.map((text) => ({ source: e.source, text })),
            );
            if (gone) setDropped((droppedSoFar += gone));
          } else if (e.type === "end") setEnded((m) => new Map(m).set(e.source, e.error ?? null));
          else if (e.type === "source") {
            followed = [...followed];
            followed[e.source] = { pod: e.pod, container: e.container };
            setSources(followed);
          } else if (e.type === "total") setTotal(e.total);
          else if (e.type === "gone") {
            const of = followed.flatMap((s, i) => (s.pod === e.pod ? [i] : []));
            setGone((g) => new Set([...g, ...of]));
          } else setUnwatched(e.error);
        }
        redraw();
      }
      redraw();
      setState("ended");
    })().catch((e: unknown) => {
      if (abort.signal.aborted) return;
      setError(e instanceof Error ? `The log stream broke: ${e.message}` : "The log stream broke");
      setState("error");
    });
    return () => {
      abort.abort();
      cancelAnimationFrame(frame);
    };
  }, [agentId, query]);

  const pods = useMemo(() => podsOf(sources), [sources]);
  const shown = useMemo(
    () => shownEntries(entries.current, sources, pod, search),
    // `version` changes whenever lines arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sources, pod, search, version],
  );
  const count = shown ? shown.length : entries.current.length;
  const failed = [...ended].filter((e): e is [number, string] => e[1] !== null);
  // Logs of pods that are still there, and pods all of whose logs ended because the pod was deleted.
  const present = sources.length - gone.size;
  const endedPods = useMemo(
    () => new Set(pods.filter((p) => sources.every((s, i) => s.pod !== p || gone.has(i)))),
    [pods, sources, gone],
  );

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API cannot be memoized by the React compiler
  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
  });

  // Following: stay at the newest line unless the reader scrolled up.
  useEffect(() => {
    if (stick.current.atBottom && count > 0) virtual.scrollToIndex(count - 1, { align: "end" });
  }, [count, version, virtual]);

  const download = () =>
    downloadLines(
      `${name}${pod ? `-${pod}` : ""}${previous ? "-previous" : ""}.log`,
      entries.current.filter((e) => !pod || sources[e.source]?.pod === pod).map((e) => prefixedLine(sources, e)),
    );

  return (
    <div className="space-y-2">
      <LogToolbar
        options={options}
        set={set}
        source={
          <LogChoice
            label="Pod"
            value={pod}
            onChange={setPod}
            choices={[
              ["", `All pods${pods.length ? ` (${pods.length})` : ""}`],
              ...pods.map((p) => [p, endedPods.has(p) ? `${p} (ended)` : p] as const),
            ]}
          />
        }
        checks={<LogCheck label="All containers" checked={allContainers} onChange={setAllContainers} />}
        tailLabel="Last lines of each"
        searchLabel="Search the logs"
        onDownload={download}
        canDownload={entries.current.length > 0}
        state={state}
        lines={entries.current.length}
        logs={sources.length - ended.size}
        matches={shown && search.trim() ? shown.length : null}
      />
      {total > present ? (
        <p data-testid="log-limit" className="text-xs text-amber-800 dark:text-amber-200">
          Following {present} of {total} logs: at most {MAX_WORKLOAD_LOG_STREAMS} at once (running, ready pods first).
          Open a pod for its own log, or use kubectl logs with --max-log-requests.
        </p>
      ) : null}
      {endedPods.size ? (
        <p data-testid="log-gone" className="text-xs text-zinc-500">
          Ended, the pod was deleted: {[...endedPods].join(", ")}.
        </p>
      ) : null}
      {unwatched ? (
        <p role="alert" className="text-xs text-amber-800 dark:text-amber-200">
          New pods are no longer picked up: {unwatched}. Show the logs again to follow the pods there are now.
        </p>
      ) : null}
      {dropped > 0 ? (
        <p className="text-xs text-zinc-500">
          Showing the newest {MAX_LOG_LINES.toLocaleString("en-US")} lines; {dropped.toLocaleString("en-US")} older ones
          were let go (download keeps what is shown, or use kubectl logs).
        </p>
      ) : null}
      {failed.length ? (
        <ul aria-label="Logs that could not be read" className="space-y-0.5 text-xs text-red-700 dark:text-red-400">
          {failed.map(([i, why]) => (
            <li key={i}>
              {sources[i] ? sourcePrefix(sources[i]) : `log ${i}`} {why}
            </li>
          ))}
        </ul>
      ) : null}
      {state === "error" ? <ErrorState title="The logs could not be read" message={error} /> : null}
      <div
        ref={scroller}
        role="log"
        aria-label={`Logs of ${name}'s pods`}
        tabIndex={0}
        onScroll={(e) => onLogScroll(e.currentTarget, stick.current)}
        className="h-80 overflow-auto rounded bg-zinc-950 p-2 font-mono text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        {count === 0 && state !== "loading" && state !== "error" ? (
          <p className="text-zinc-400">
            {sources.length === 0 ? `${name} has no pods.` : shown ? "No line matches." : "The logs are empty."}
          </p>
        ) : null}
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((v) => {
            const e = entries.current[shown ? shown[v.index]! : v.index];
            if (!e) return null;
            const s = sources[e.source];
            return (
              <div
                key={v.key}
                data-index={v.index}
                ref={wrap ? virtual.measureElement : undefined}
                data-log-line
                data-pod={s?.pod}
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${v.start}px)`,
                  ...(wrap ? {} : { height: LINE_HEIGHT }),
                }}
                className={wrap ? "whitespace-pre-wrap break-all" : "whitespace-pre"}
              >
                {s ? <span className={prefixColour(e.source)}>{sourcePrefix(s)}</span> : null} {e.text}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
