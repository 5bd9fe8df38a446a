"use client";
// One EventSource per view: a snapshot, then batched changes. Closed while the tab is hidden and reopened
// on return; on error it reconnects with exponential backoff and jitter (capped), resuming from the last
// event id; a 401 stops retrying and sends the user to sign in.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { KubeItem } from "./kinds";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "stale";

interface Change {
  i: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeItem;
}

const keyOf = (o: KubeItem) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Mount it with `key` set to the paths, so that a new set of collections starts from a clean state. */
export function useLive(agentId: string, paths: string[]) {
  const [collections, setCollections] = useState<Map<string, KubeItem>[]>(() => paths.map(() => new Map()));
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [staleSince, setStaleSince] = useState<Date | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changedAt, setChangedAt] = useState<Map<string, number>>(new Map());
  /** Collections the cluster refused (RBAC), by index, with the reason. */
  const [refused, setRefused] = useState<Map<number, string>>(new Map());
  const pathsKey = paths.join("\n");
  const lastId = useRef<string | null>(null);
  const router = useRouter();

  useEffect(() => {
    const list = pathsKey.split("\n");
    let es: EventSource | null = null;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    lastId.current = null;

    const open = () => {
      if (disposed || document.hidden) return;
      const q = new URLSearchParams();
      for (const p of list) q.append("path", p);
      if (lastId.current) q.set("lastEventId", lastId.current);
      es = new EventSource(`/api/agents/${agentId}/live?${q}`);
      es.addEventListener("snapshot", (ev) => {
        const msg = ev as MessageEvent<string>;
        const data = JSON.parse(msg.data) as { collections: { i: number; items: KubeItem[]; refused?: string }[] };
        setRefused(new Map(data.collections.filter((c) => c.refused).map((c) => [c.i, c.refused!])));
        lastId.current = msg.lastEventId || lastId.current;
        setCollections(list.map((_, i) => new Map((data.collections.find((c) => c.i === i)?.items ?? []).map((o) => [keyOf(o), o]))));
        attempt = 0;
        setStatus("live");
        setStaleSince(null);
        setError(null);
      });
      es.addEventListener("changes", (ev) => {
        const msg = ev as MessageEvent<string>;
        const data = JSON.parse(msg.data) as { events: Change[] };
        lastId.current = msg.lastEventId || lastId.current;
        const now = Date.now();
        setCollections((prev) => {
          // Only the collections this frame touches are copied: one change must not copy 10,000 pods.
          const next = [...prev];
          const copied = new Set<number>();
          for (const e of data.events) {
            if (!prev[e.i]) continue;
            if (!copied.has(e.i)) {
              next[e.i] = new Map(prev[e.i]);
              copied.add(e.i);
            }
            const m = next[e.i]!;
            if (e.type === "DELETED") m.delete(keyOf(e.object));
            else m.set(keyOf(e.object), e.object);
          }
          return next;
        });
        setChangedAt((prev) => {
          const next = new Map(prev);
          for (const e of data.events) next.set(keyOf(e.object), now);
          return next;
        });
        attempt = 0;
        setStatus("live");
      });
      // The cluster side of the stream: Reconnecting while the upstream watch is down (kas, agent).
      const upstream = new Map<number, string>();
      es.addEventListener("status", (ev) => {
        const data = JSON.parse((ev as MessageEvent<string>).data) as { i: number; state: "live" | "reconnecting" };
        upstream.set(data.i, data.state);
        const down = [...upstream.values()].some((st) => st !== "live");
        setStatus(down ? "reconnecting" : "live");
        if (down) setStaleSince((st) => st ?? new Date());
        else setStaleSince(null);
      });
      es.onopen = () => {
        attempt = 0;
      };
      es.onerror = () => {
        es?.close();
        es = null;
        if (disposed) return;
        setStatus("reconnecting");
        setStaleSince((s) => s ?? new Date());
        // Is the session still valid? A 401 means: stop retrying, sign in again.
        void fetch(`/api/agents/${agentId}`, { cache: "no-store" }).then((r) => {
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
        }, () => {
          timer = setTimeout(open, Math.min(30_000, 1_000 * 2 ** attempt++));
        });
      };
    };
    const onVisibility = () => {
      if (document.hidden) {
        es?.close();
        es = null;
        clearTimeout(timer);
        setStatus("stale");
        setStaleSince((s) => s ?? new Date());
      } else if (!es) {
        open();
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    open();
    return () => {
      disposed = true;
      clearTimeout(timer);
      es?.close();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [agentId, pathsKey, router]);

  return { collections, status, staleSince, error, changedAt, refused };
}
