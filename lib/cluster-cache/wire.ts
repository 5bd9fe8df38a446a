// The live view's wire format, defined once for the server (sse.ts), the page (components/cluster/
// use-live.ts), the benches and the tests: the key of an object, the snapshot / changes / status frames,
// the one way to apply changes to a list, and a reader of SSE text. Runs in the browser too: no node:
// imports, nothing server-only (zod/mini keeps the page's bundle small).
import { createParser } from "eventsource-parser";
import * as z from "zod/mini";

/** What the wire needs of a Kubernetes object; everything else passes through untouched. */
export interface WireObject {
  metadata: { name: string; namespace?: string };
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; managedFields?: unknown };
  [k: string]: unknown;
}

/**
 * A Secret's values' sizes in bytes (decoded), by key, as `kubectl describe secret` shows them: the server
 * puts it beside the emptied `data` (values never leave the server); the page shows "hidden (N bytes)".
 * Not a Kubernetes field.
 */
export const SECRET_BYTES_FIELD = "tetherDataBytes";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";
/** Whether the upstream watch of a collection is flowing; the page shows it (Live / Reconnecting). */
export type UpstreamState = "live" | "reconnecting";

/** Identifies an object within one collection: namespace/name ("/name" when cluster-scoped). */
export function objectKey(o: WireObject): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

/** One change of collection `i` (the position of its path in the request). */
export interface Change<T extends WireObject = KubeObject> {
  i: number;
  type: ChangeType;
  object: T;
}

export interface SnapshotFrame<T extends WireObject = KubeObject> {
  /** A collection the cluster refused (RBAC, or a resource it does not serve) has no items and the reason. */
  collections: { i: number; items: T[]; refused?: string }[];
}

export interface ChangesFrame<T extends WireObject = KubeObject> {
  events: Change<T>[];
}

export interface StatusFrame {
  i: number;
  state: UpstreamState;
}

/**
 * A frame as sent: a snapshot (first, and again whenever resuming is impossible), then changes; both carry
 * the id a reconnect sends back as Last-Event-ID. Status frames say when a collection's upstream watch
 * goes down or comes back, and carry no id (they are not replayed).
 */
export type LiveFrame<T extends WireObject = KubeObject> =
  | { event: "snapshot"; id: string; data: SnapshotFrame<T> }
  | { event: "changes"; id: string; data: ChangesFrame<T> }
  | { event: "status"; data: StatusFrame };

/** The SSE event names of the frames, for an EventSource's listeners. */
export const FRAME_EVENTS = ["snapshot", "changes", "status"] as const satisfies readonly LiveFrame["event"][];

/** Sent while the stream is quiet so that proxies keep it open; readers skip it (an SSE comment). */
export const HEARTBEAT = ": heartbeat\n\n";

export function encodeFrame(frame: LiveFrame): string {
  return `${"id" in frame ? `id: ${frame.id}\n` : ""}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

// Objects are checked for what the wire relies on and passed through as they are, not copied: a snapshot
// may hold 30,000 pods.
const wireObject = z.custom<WireObject>(
  (o) =>
    typeof o === "object" && o !== null && typeof (o as { metadata?: { name?: unknown } }).metadata?.name === "string",
  "not a Kubernetes object",
);
const index = z.int().check(z.nonnegative());
const frameData = {
  snapshot: z.object({
    collections: z.array(z.object({ i: index, items: z.array(wireObject), refused: z.optional(z.string()) })),
  }),
  changes: z.object({
    events: z.array(z.object({ i: index, type: z.enum(["ADDED", "MODIFIED", "DELETED"]), object: wireObject })),
  }),
  status: z.object({ i: index, state: z.enum(["live", "reconnecting"]) }),
};

/**
 * One received SSE message as a frame: `event` and `data` as the EventSource (or readSse) gave them.
 * Null for an event this page does not know (a newer server); throws when a known frame is malformed.
 */
export function decodeFrame<T extends WireObject = KubeObject>(
  event: string,
  data: string,
  id = "",
): LiveFrame<T> | null {
  switch (event) {
    case "snapshot":
      return { event, id, data: frameData.snapshot.parse(JSON.parse(data)) as SnapshotFrame<T> };
    case "changes":
      return { event, id, data: frameData.changes.parse(JSON.parse(data)) as ChangesFrame<T> };
    case "status":
      return { event, data: frameData.status.parse(JSON.parse(data)) };
    default:
      return null;
  }
}

/** The collections a snapshot holds, one Map by object key per requested path, and those the cluster refused. */
export function fromSnapshot<T extends WireObject>(
  count: number,
  snapshot: SnapshotFrame<T>,
): { collections: Map<string, T>[]; refused: Map<number, string> } {
  const byIndex = new Map(snapshot.collections.map((c) => [c.i, c]));
  return {
    collections: Array.from(
      { length: count },
      (_, i) => new Map((byIndex.get(i)?.items ?? []).map((o) => [objectKey(o), o])),
    ),
    refused: new Map(snapshot.collections.filter((c) => c.refused).map((c) => [c.i, c.refused!])),
  };
}

/**
 * The collections after some changes, without touching the ones given: only the collections the changes
 * touch are copied (one change must not copy 10,000 pods), the others are the same Maps. A change of a
 * collection not among them is ignored; deleting an object that is not there changes nothing.
 */
export function applyChanges<T extends WireObject>(
  collections: readonly Map<string, T>[],
  events: readonly Change<T>[],
): Map<string, T>[] {
  const next = [...collections];
  const copied = new Set<number>();
  for (const e of events) {
    const current = collections[e.i];
    if (!current) continue;
    if (!copied.has(e.i)) {
      next[e.i] = new Map(current);
      copied.add(e.i);
    }
    const m = next[e.i]!;
    if (e.type === "DELETED") m.delete(objectKey(e.object));
    else m.set(objectKey(e.object), e.object);
  }
  return next;
}

/** One message of an SSE stream, before it is read as a frame. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export interface SseReader {
  /** Text of the stream, in whatever pieces it arrives: a message may be split anywhere. */
  feed(text: string): void;
  /** The id of the last message that had one, as an EventSource would send it back in Last-Event-ID. */
  readonly lastEventId: string | null;
}

/** Reads SSE text as an EventSource does (comments such as heartbeats skipped) and hands on each message. */
export function sseReader(onMessage: (m: SseMessage) => void): SseReader {
  let lastEventId: string | null = null;
  const parser = createParser({
    onEvent(m) {
      if (m.id !== undefined) lastEventId = m.id;
      onMessage({ event: m.event ?? "message", data: m.data, ...(m.id !== undefined ? { id: m.id } : {}) });
    },
  });
  return {
    feed: (text) => parser.feed(text),
    get lastEventId() {
      return lastEventId;
    },
  };
}

/** Reads SSE text as frames; messages that are not frames are skipped. */
export function frameReader<T extends WireObject = KubeObject>(onFrame: (frame: LiveFrame<T>) => void): SseReader {
  return sseReader((m) => {
    const frame = decodeFrame<T>(m.event, m.data, m.id);
    if (frame) onFrame(frame);
  });
}

/** The frames of a live stream's body, as they arrive; leaving the loop cancels the stream. */
export async function* readFrames<T extends WireObject = KubeObject>(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<LiveFrame<T>> {
  const queue: LiveFrame<T>[] = [];
  const frames = frameReader<T>((f) => queue.push(f));
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      frames.feed(decoder.decode(value, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
