"use client";
// A pod's log in the drawer, streamed from the cluster as the viewer: pick the container (init and
// ephemeral too), follow, the previous instance, since and tail, timestamps, wrap, search, download.
// Lines are held in a ref and drawn by a virtualizer, so a long followed log stays smooth; a refusal
// shows the cluster's own message.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { ErrorState } from "@/components/ui/states";
import { ContainerSelect } from "./container-select";
import {
  downloadLines,
  LINE_HEIGHT,
  LogToolbar,
  onLogScroll,
  useLogOptions,
  type LogState,
  type Stick,
} from "./log-controls";
import type { KubeItem } from "./kinds";
import {
  containersOf,
  defaultContainer,
  keepNewest,
  logsQueryString,
  matchingLines,
  MAX_LOG_LINES,
  splitLines,
} from "./log-lines";

export function PodLogs({ agentId, pod }: { agentId: string; pod: KubeItem }) {
  const containers = useMemo(() => containersOf(pod), [pod]);
  const [container, setContainer] = useState(() => defaultContainer(pod, containers));
  const [options, set] = useLogOptions("500");
  const { follow, previous, timestamps, wrap, tailLines, sinceSeconds, search } = options;
  const [state, setState] = useState<LogState>("loading");
  const [error, setError] = useState("");
  const [dropped, setDropped] = useState(0);
  // The lines live in a ref (a followed log grows by thousands a second); `version` redraws once a frame.
  const lines = useRef<string[]>([]);
  const [version, setVersion] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef<Stick>({ atBottom: true, top: 0 });

  const { name, namespace = "" } = pod.metadata;
  const chosen = container || defaultContainer(pod, containers);
  const query = logsQueryString({
    namespace,
    pod: name,
    container: chosen,
    follow,
    previous,
    timestamps,
    tailLines,
    sinceSeconds,
  });

  useEffect(() => {
    // Until the whole pod arrives its containers are unknown: a pod of several would refuse the request.
    if (!chosen) return;
    const abort = new AbortController();
    let frame = 0;
    const redraw = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          setVersion((v) => v + 1);
        });
    };
    lines.current = [];
    stick.current = { atBottom: true, top: 0 };
    setDropped(0);
    setError("");
    setState("loading");
    setVersion((v) => v + 1);
    (async () => {
      const res = await fetch(`/api/agents/${encodeURIComponent(agentId)}/logs?${query}`, { signal: abort.signal });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        setError(body.error ?? `The log could not be read (${res.status})`);
        setState("error");
        return;
      }
      setState(query.includes("follow=true") ? "following" : "loading");
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let rest = "";
      let droppedSoFar = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const cut = splitLines(rest, value);
        rest = cut.rest;
        const gone = keepNewest(lines.current, cut.lines);
        if (gone) setDropped((droppedSoFar += gone));
        redraw();
      }
      if (rest) keepNewest(lines.current, [rest]);
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
  }, [agentId, query, chosen]);

  const matches = useMemo(
    () => matchingLines(lines.current, search),
    // `version` changes whenever lines arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [search, version],
  );
  const count = matches ? matches.length : lines.current.length;

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

  const download = () => downloadLines(`${name}-${chosen}${previous ? "-previous" : ""}.log`, lines.current);

  return (
    <section aria-label="Logs" className="space-y-2">
      <h4 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Logs</h4>
      {containers.length === 0 ? (
        <p className="text-xs text-zinc-500">Loading the pod&apos;s containers…</p>
      ) : (
        <>
          <LogToolbar
            options={options}
            set={set}
            source={
              <ContainerSelect label="Container" containers={containers} value={chosen} onChange={setContainer} />
            }
            tailLabel="Last lines"
            searchLabel="Search the log"
            onDownload={download}
            canDownload={lines.current.length > 0}
            state={state}
            lines={lines.current.length}
            matches={matches ? matches.length : null}
          />
          {dropped > 0 ? (
            <p className="text-xs text-zinc-500">
              Showing the newest {MAX_LOG_LINES.toLocaleString("en-US")} lines; {dropped.toLocaleString("en-US")} older
              ones were let go (download keeps what is shown, or use kubectl logs).
            </p>
          ) : null}
          {state === "error" ? <ErrorState title="The log could not be read" message={error} /> : null}
          <div
            ref={scroller}
            role="log"
            aria-label={`Log of ${chosen}`}
            tabIndex={0}
            onScroll={(e) => onLogScroll(e.currentTarget, stick.current)}
            className="h-80 overflow-auto rounded bg-zinc-950 p-2 font-mono text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            {count === 0 && state !== "loading" && state !== "error" ? (
              <p className="text-zinc-400">{matches ? "No line matches." : "The log is empty."}</p>
            ) : null}
            <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
              {virtual.getVirtualItems().map((v) => {
                const i = matches ? matches[v.index]! : v.index;
                return (
                  <div
                    key={v.key}
                    data-index={v.index}
                    ref={wrap ? virtual.measureElement : undefined}
                    data-log-line
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
                    {lines.current[i]}
                  </div>
                );
              })}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
