// One server-sent-events stream per page, multiplexing every collection the page shows (browsers allow
// only six HTTP/1.1 connections per host). A snapshot first, then changes, sent at once while the stream
// is quiet and batched to one frame per 50 ms when it is busy (a token bucket of twenty frames); each
// frame has an event id that lets `Last-Event-ID` resume without loss; heartbeats keep
// proxies from closing it; a client that reads too slowly is not buffered without bound: its backlog
// is dropped and it gets a fresh snapshot instead.
import type { ClusterCache } from "./cache";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import type { CollectionKey, WatchedCollection } from "./collection";
import {
  encodeFrame,
  encodeSnapshotFrame,
  HEARTBEAT,
  type Change,
  type EncodedSnapshotCollection,
  type LiveFrame,
} from "./wire";

/** Frames of changes: one per FLUSH_MS on average, up to FLUSH_BURST at once after a quiet spell. */
export const FLUSH_MS = 50;
export const FLUSH_BURST = 20;
export const HEARTBEAT_MS = 15_000;
/** Bytes queued for one client before it is considered too slow. */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Position of a viewer in each collection: "seq.seq.seq" in the order the page asked for them. */
export function eventId(seqs: number[], epoch: string): string {
  return `${epoch}:${seqs.join(".")}`;
}

export function parseEventId(id: string | null, epoch: string, count: number): number[] | null {
  if (!id) return null;
  const [e, rest] = id.split(":");
  if (e !== epoch || rest === undefined) return null;
  const seqs = rest.split(".").map(Number);
  return seqs.length === count && seqs.every((n) => Number.isInteger(n) && n >= 0) ? seqs : null;
}

/**
 * The stream; `epoch` names this process's cache, so ids from another run or another web replica mean
 * "snapshot" (each replica keeps its own cache); the collections' generations are added to it, so an id from
 * a collection since stopped and started again means "snapshot" too.
 */
export async function liveStream(
  cache: ClusterCache,
  keys: CollectionKey[],
  lastEventId: string | null,
  epoch: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder();
  const pending: Change[] = [];
  const seqs = keys.map(() => 0);
  // A collection the cluster refuses (RBAC) stays empty with its reason; the others still stream.
  const joined: { collection: WatchedCollection | null; leave: () => void; refused?: string }[] = [];
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let needSnapshot = false;
  let closed = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let tokens = FLUSH_BURST;
  let refilledAt = performance.now();

  // Declared as functions (hoisted): events may arrive while later collections are still joining.
  function refill(): void {
    const now = performance.now();
    tokens = Math.min(FLUSH_BURST, tokens + (now - refilledAt) / FLUSH_MS);
    refilledAt = now;
  }
  function scheduleFlush(): void {
    if (flushTimer || closed) return;
    refill();
    // Even "at once" waits for the next turn, so the changes of one burst share a frame.
    flushTimer = setTimeout(flush, tokens >= 1 ? 0 : (1 - tokens) * FLUSH_MS);
  }
  function flush(): void {
    flushTimer = undefined;
    if (closed || !controller) return;
    refill();
    tokens = Math.max(0, tokens - 1);
    if ((controller.desiredSize ?? 0) < -MAX_BACKLOG_BYTES) {
      needSnapshot = true; // too slow: drop the backlog, send a fresh snapshot once it catches up
      pending.length = 0;
      scheduleFlush();
      return;
    }
    if (needSnapshot) {
      needSnapshot = false;
      snapshot();
      return;
    }
    if (pending.length === 0) return;
    send({ event: "changes", id: eventId(seqs, streamEpoch), data: { events: pending.splice(0) } });
  }

  try {
    for (const [i, key] of keys.entries()) {
      const view = cache.view(
        key,
        (e) => {
          pending.push({ i, type: e.type, object: e.object });
          seqs[i] = e.seq;
          scheduleFlush();
        },
        (state) => {
          if (!closed && controller) send({ event: "status", data: { i, state } });
        },
      );
      try {
        joined.push(await view);
      } catch (e) {
        if (!(e instanceof UpstreamStatusError) || ![401, 403, 404].includes(e.status)) throw e;
        joined.push({
          collection: null,
          leave: () => undefined,
          refused:
            e.status === 404
              ? "the cluster does not serve this resource"
              : "the cluster's RBAC does not let you list this",
        });
      }
    }
  } catch (e) {
    for (const j of joined) j.leave();
    throw e;
  }

  // Ids name this process and these very collections (a refused one is 0): a snapshot or a difference, never a
  // difference against another collection's sequence.
  const streamEpoch = `${epoch}.${joined.map((j) => j.collection?.generation ?? 0).join("-")}`;
  const send = (frame: LiveFrame) => {
    controller?.enqueue(enc.encode(encodeFrame(frame)));
  };
  const snapshot = () => {
    pending.length = 0;
    // Built around each collection's shared bytes (WatchedCollection.snapshotBytes) instead of serializing
    // its objects again for this stream.
    const collections = joined.map((j, i): EncodedSnapshotCollection => {
      if (!j.collection) return { i, itemsJson: null, refused: j.refused };
      const s = j.collection.snapshotBytes();
      seqs[i] = s.seq;
      return { i, itemsJson: s.bytes };
    });
    controller?.enqueue(encodeSnapshotFrame(eventId(seqs, streamEpoch), collections));
  };

  let heartbeatTimer: NodeJS.Timeout | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(flushTimer);
    clearInterval(heartbeatTimer);
    for (const j of joined) j.leave();
    try {
      controller?.close();
    } catch {
      /* already closed by the client */
    }
  };
  signal.addEventListener("abort", close, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        const resume = parseEventId(lastEventId, streamEpoch, keys.length);
        const backlog = resume ? joined.map((j, i) => (j.collection ? j.collection.since(resume[i]!) : [])) : null;
        if (backlog && backlog.every((b) => b !== null)) {
          // Resume: only what the client missed, in order per collection.
          pending.length = 0;
          backlog.forEach((events, i) => {
            for (const e of events!) pending.push({ i, type: e.type, object: e.object });
            seqs[i] = joined[i]!.collection?.lastSeq ?? 0;
          });
        } else {
          snapshot();
        }
        joined.forEach((j, i) => {
          if (j.collection && j.collection.state !== "live")
            send({ event: "status", data: { i, state: j.collection.state } });
        });
        if (pending.length > 0) scheduleFlush();
        heartbeatTimer = setInterval(() => {
          if (!closed) c.enqueue(enc.encode(HEARTBEAT));
        }, HEARTBEAT_MS);
      },
      cancel() {
        close();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
  );
}
