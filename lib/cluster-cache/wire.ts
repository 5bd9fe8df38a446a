// The live view's wire format, defined once for the server (sse.ts), the page (components/cluster/
// use-live.ts), the benches and the tests: the key of an object, the snapshot / changes / status frames,
// the one way to apply changes to a list, and a reader of SSE text. Runs in the browser too: no node:
// imports, nothing server-only, no zod (below).
import { createParser } from "eventsource-parser";

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

/** What comes before a frame's data: its id when it has one, and its event name. */
const frameHead = (event: LiveFrame["event"], id: string | undefined) =>
  `${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: `;
const FRAME_END = "\n\n";

export function encodeFrame(frame: LiveFrame): string {
  return `${frameHead(frame.event, "id" in frame ? frame.id : undefined)}${JSON.stringify(frame.data)}${FRAME_END}`;
}

/**
 * A collection of a snapshot frame whose items are already JSON (the UTF-8 bytes of their array), or none
 * (`null`: no items, and why when the cluster refused it).
 */
export interface EncodedSnapshotCollection {
  i: number;
  itemsJson: Uint8Array | null;
  refused?: string;
}

/**
 * The bytes encodeFrame would write for a snapshot, made around items serialized before (one collection's
 * JSON is shared by every stream that sends a snapshot of that version: cluster-cache's snapshotBytes).
 */
export function encodeSnapshotFrame(id: string, collections: readonly EncodedSnapshotCollection[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode(`${frameHead("snapshot", id)}{"collections":[`)];
  collections.forEach((c, n) => {
    if (n > 0) parts.push(enc.encode(","));
    if (c.itemsJson === null) parts.push(enc.encode(JSON.stringify({ i: c.i, items: [], refused: c.refused })));
    else parts.push(enc.encode(`{"i":${c.i},"items":`), c.itemsJson, enc.encode("}"));
  });
  parts.push(enc.encode(`]}${FRAME_END}`));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// A frame is checked for what the page relies on before it touches a list: the shape below, each object's
// metadata.name. Objects pass through as they are, not copied: a snapshot may hold 30,000 pods. Written by
// hand rather than with zod: this runs in the cluster page, whose first load would otherwise carry zod's
// ~120 KB of script for three small shapes (the server's inputs are still checked with zod).
class FrameError extends Error {}
const fail = (what: string): never => {
  throw new FrameError(`malformed live frame: ${what}`);
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const checkIndex = (v: unknown, where: string): number =>
  Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(`${where}.i is not a non-negative integer`);
const checkObject = (o: unknown, where: string): void => {
  if (!isRecord(o) || !isRecord(o.metadata) || typeof o.metadata.name !== "string")
    fail(`${where} is not a Kubernetes object`);
};
const CHANGE_TYPES: readonly string[] = ["ADDED", "MODIFIED", "DELETED"] satisfies ChangeType[];
const UPSTREAM_STATES: readonly string[] = ["live", "reconnecting"] satisfies UpstreamState[];

function checkSnapshot<T extends WireObject>(data: unknown): SnapshotFrame<T> {
  if (!isRecord(data) || !Array.isArray(data.collections)) return fail("snapshot.collections is not an array");
  data.collections.forEach((c: unknown, n) => {
    const where = `snapshot.collections[${n}]`;
    if (!isRecord(c) || !Array.isArray(c.items)) return fail(`${where}.items is not an array`);
    checkIndex(c.i, where);
    if (c.refused !== undefined && typeof c.refused !== "string") fail(`${where}.refused is not text`);
    for (let k = 0; k < c.items.length; k++) checkObject(c.items[k], `${where}.items[${k}]`);
  });
  return data as unknown as SnapshotFrame<T>;
}

function checkChanges<T extends WireObject>(data: unknown): ChangesFrame<T> {
  if (!isRecord(data) || !Array.isArray(data.events)) return fail("changes.events is not an array");
  data.events.forEach((e: unknown, n) => {
    const where = `changes.events[${n}]`;
    if (!isRecord(e)) return fail(`${where} is not a change`);
    checkIndex(e.i, where);
    if (typeof e.type !== "string" || !CHANGE_TYPES.includes(e.type)) fail(`${where}.type is not a change type`);
    checkObject(e.object, `${where}.object`);
  });
  return data as unknown as ChangesFrame<T>;
}

function checkStatus(data: unknown): StatusFrame {
  if (!isRecord(data)) return fail("status is not an object");
  checkIndex(data.i, "status");
  if (typeof data.state !== "string" || !UPSTREAM_STATES.includes(data.state)) fail("status.state is not a state");
  return data as unknown as StatusFrame;
}

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
      return { event, id, data: checkSnapshot<T>(JSON.parse(data)) };
    case "changes":
      return { event, id, data: checkChanges<T>(JSON.parse(data)) };
    case "status":
      return { event, data: checkStatus(JSON.parse(data)) };
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
