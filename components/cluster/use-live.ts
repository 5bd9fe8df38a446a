"use client";
// One EventSource per view (the first one may be the stream the page's HTML asked for, early-stream.ts): a
// snapshot, then batched changes. Closed while the tab is hidden and reopened
// on return; on error it reconnects with exponential backoff and jitter (capped), resuming from the last
// event id; a 401 stops retrying and sends the user to sign in.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { applyChanges, decodeFrame, FRAME_EVENTS, fromSnapshot, objectKey, sseReader } from "@/lib/cluster-cache/wire";
import { takeEarlyStream, type TakenEarlyStream } from "./early-stream";
import { liveStreamUrl } from "./live-paths";
import type { KubeItem } from "./kinds";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "stale";

/** Collections to show before the stream's snapshot, for the stream of `pathsKey` (paths joined by "\n"). */
export interface LiveSeed {
  pathsKey: string;
  collections: KubeItem[][];
}

/** A new set of paths starts from a clean state: nothing of the old collections shows as the new ones'. */
export function useLive(agentId: string, paths: string[], seed?: LiveSeed | null) {
  const pathsKey = paths.join("\n");
  // The server's first rows (table-seed.ts), shown until the stream's snapshot replaces them.
  const seeded0 = seed?.pathsKey === pathsKey;
  const [collections, setCollections] = useState<Map<string, KubeItem>[]>(() =>
    paths.map((_, i) => new Map(seeded0 ? (seed.collections[i] ?? []).map((o) => [objectKey(o), o]) : [])),
  );
  /** Showing the server's seed: a part of the collections, until the snapshot. */
  const [seeded, setSeeded] = useState(seeded0);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  /** A snapshot has arrived: empty collections from then on are the cluster's, not a stream not yet open. */
  const [received, setReceived] = useState(seeded0);
  const [staleSince, setStaleSince] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changedAt, setChangedAt] = useState<Map<string, number>>(new Map());
  /** Collections the cluster refused (RBAC), by index, with the reason. */
  const [refused, setRefused] = useState<Map<number, string>>(new Map());
  // New paths (another namespace, a label selector): start clean in this render, not after an effect.
  const [shownKey, setShownKey] = useState(pathsKey);
  if (shownKey !== pathsKey) {
    setShownKey(pathsKey);
    setCollections(paths.map(() => new Map()));
    setSeeded(false);
    setStatus("connecting");
    setReceived(false);
    setStaleSince(null);
    setError(null);
    setChangedAt(new Map());
    setRefused(new Map());
  }
  const lastId = useRef<string | null>(null);
  const router = useRouter();

  useEffect(() => {
    const list = pathsKey.split("\n");
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    lastId.current = null;

    /** The open stream, an EventSource or the page's early stream, either closed the same way. */
    let conn: { close(): void } | null = null;
    // The cluster side of the stream: Reconnecting while the upstream watch is down (kas, agent).
    let upstream = new Map<number, string>();
    const onFrame = (event: string, data: string, id: string) => {
      // User Timing marks (the browser's Performance panel, bench/live-browser): read off the wire, then decoded.
      if (event === "snapshot") performance.mark?.("tether:live-snapshot-read");
      const frame = decodeFrame<KubeItem>(event, data, id);
      if (frame?.event === "snapshot") {
        performance.mark?.("tether:live-snapshot");
        const { collections, refused } = fromSnapshot(list.length, frame.data);
        setRefused(refused);
        lastId.current = id || lastId.current;
        setCollections(collections);
        setSeeded(false);
        setReceived(true);
        attempt = 0;
        setStatus("live");
        setStaleSince(null);
        setError(null);
      } else if (frame?.event === "changes") {
        const { events } = frame.data;
        lastId.current = id || lastId.current;
        const now = Date.now();
        setCollections((prev) => applyChanges(prev, events));
        setChangedAt((prev) => {
          const next = new Map(prev);
          for (const e of events) next.set(objectKey(e.object), now);
          return next;
        });
        attempt = 0;
        setStatus("live");
      } else if (frame?.event === "status") {
        upstream.set(frame.data.i, frame.data.state);
        const down = [...upstream.values()].some((st) => st !== "live");
        setStatus(down ? "reconnecting" : "live");
        if (down) setStaleSince((st) => st ?? new Date());
        else setStaleSince(null);
      }
    };
    const onError = () => {
      conn?.close();
      conn = null;
      if (disposed) return;
      setStatus("reconnecting");
      setStaleSince((s) => s ?? new Date());
      // Is the session still valid? A 401 means: stop retrying, sign in again.
      void fetch(`/api/agents/${agentId}`, { cache: "no-store" }).then(
        (r) => {
          if (r.status === 401) {
            router.push(`/sign-in?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
            return;
          }
          if (r.status === 404) {
            setError("This agent no longer exists or you lost access to it.");
            return;
          }
          const delay = Math.min(30_000, 1_000 * 2 ** attempt) * (0.5 + Math.random() / 2);
          attempt++;
          timer = setTimeout(open, delay);
        },
        () => {
          timer = setTimeout(open, Math.min(30_000, 1_000 * 2 ** attempt++));
        },
      );
    };
    /** Reads the stream the page's HTML asked for (early-stream.ts) as an EventSource would. */
    const readEarly = (early: TakenEarlyStream) => {
      let closed = false;
      const self = {
        close() {
          closed = true;
          early.abort();
        },
      };
      conn = self;
      const decoder = new TextDecoder();
      const frames = sseReader((m) => {
        if (!closed) onFrame(m.event, m.data, m.id ?? "");
      });
      performance.mark?.("tether:live-early-response");
      // What the page's script read meanwhile comes at once, in this task; the rest as it arrives.
      early.listen((chunk) => {
        if (closed) return;
        if (chunk) frames.feed(decoder.decode(chunk, { stream: true }));
        // The stream ended or failed: as an EventSource's error, reconnect from the last event id.
        else if (conn === self) onError();
      });
    };

    const open = () => {
      if (disposed || document.hidden) return;
      // When the view (hydrated, its effects running) opens its stream: bench/live-browser reads it.
      performance.mark?.("tether:live-open");
      upstream = new Map();
      const url = liveStreamUrl(agentId, list, lastId.current);
      const early = takeEarlyStream(url);
      if (early) {
        readEarly(early);
        return;
      }
      const es = new EventSource(url);
      conn = es;
      const onMessage = (ev: Event) => {
        const msg = ev as MessageEvent<string>;
        onFrame(msg.type, msg.data, msg.lastEventId);
      };
      for (const name of FRAME_EVENTS) es.addEventListener(name, onMessage);
      es.onopen = () => {
        attempt = 0;
      };
      es.onerror = onError;
    };
    const onVisibility = () => {
      if (document.hidden) {
        conn?.close();
        conn = null;
        clearTimeout(timer);
        setStatus("stale");
        setStaleSince((s) => s ?? new Date());
      } else if (!conn) {
        open();
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    open();
    return () => {
      disposed = true;
      clearTimeout(timer);
      conn?.close();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [agentId, pathsKey, router]);

  return { collections, seeded, status, received, staleSince, error, changedAt, refused };
}
