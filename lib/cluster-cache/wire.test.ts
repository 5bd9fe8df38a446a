// The live view's wire format, end to end without a server: frames encoded as the server sends them,
// read back from SSE text cut anywhere, and applied to lists as the page does.
import { describe, expect, it } from "vitest";
import {
  applyChanges,
  decodeFrame,
  encodeFrame,
  encodeSnapshotFrame,
  frameReader,
  fromSnapshot,
  HEARTBEAT,
  objectKey,
  readFrames,
  sseReader,
  type KubeObject,
  type LiveFrame,
} from "./wire";

const cm = (name: string, step = "0", namespace = "apps"): KubeObject => ({
  kind: "ConfigMap",
  metadata: { name, namespace },
  data: { step },
});
const node = (name: string): KubeObject => ({ kind: "Node", metadata: { name }, data: { step: "0" } });
const names = (m: Map<string, KubeObject> | undefined) =>
  [...(m?.values() ?? [])].map((o) => `${o.metadata.name}@${(o.data as { step: string }).step}`).sort();

/** Everything a frameReader hands on for `text`, fed in pieces of `size` characters. */
function readAll(text: string, size = text.length): { frames: LiveFrame[]; lastEventId: string | null } {
  const frames: LiveFrame[] = [];
  const reader = frameReader((f) => frames.push(f));
  for (let at = 0; at < text.length; at += size) reader.feed(text.slice(at, at + size));
  return { frames, lastEventId: reader.lastEventId };
}

const stream = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });

const snapshot: LiveFrame = {
  event: "snapshot",
  id: "e:3.0",
  data: {
    collections: [
      { i: 0, items: [cm("a"), cm("b"), node("node-1")] },
      { i: 1, items: [], refused: "the cluster's RBAC does not let you list this" },
    ],
  },
};
const changes: LiveFrame = {
  event: "changes",
  id: "e:5.0",
  data: {
    events: [
      { i: 0, type: "MODIFIED", object: cm("a", "1") },
      { i: 0, type: "ADDED", object: cm("c", "1") },
    ],
  },
};

describe("the live view's wire format", () => {
  it("a snapshot, then changes, read from the encoded stream give the lists the cluster has", () => {
    const { frames } = readAll(encodeFrame(snapshot) + encodeFrame(changes));
    expect(frames).toEqual([snapshot, changes]);
    const first = fromSnapshot(2, frames[0]!.data as typeof snapshot.data);
    expect(names(first.collections[0])).toEqual(["a@0", "b@0", "node-1@0"]);
    expect(first.collections[1]!.size).toBe(0);
    expect(first.refused).toEqual(new Map([[1, "the cluster's RBAC does not let you list this"]]));
    const after = applyChanges(first.collections, (frames[1]!.data as typeof changes.data).events);
    expect(names(after[0])).toEqual(["a@1", "b@0", "c@1", "node-1@0"]);
  });

  it("a snapshot built around items serialized before is byte for byte the frame encodeFrame writes", () => {
    const items = [cm("a"), cm("ünïcode-✓"), node("node-1")];
    const made = encodeSnapshotFrame("e:3.0", [
      { i: 0, itemsJson: new TextEncoder().encode(JSON.stringify(items)) },
      { i: 1, itemsJson: null, refused: "the cluster's RBAC does not let you list this" },
      { i: 2, itemsJson: null },
    ]);
    const expected = encodeFrame({
      event: "snapshot",
      id: "e:3.0",
      data: {
        collections: [
          { i: 0, items },
          { i: 1, items: [], refused: "the cluster's RBAC does not let you list this" },
          { i: 2, items: [] },
        ],
      },
    });
    expect(new TextDecoder().decode(made)).toBe(expected);
  });

  it("a delete removes the object; deleting one that is not there changes nothing; the lists given are left as they were", () => {
    const before = [new Map([[objectKey(cm("a")), cm("a")]]), new Map([[objectKey(cm("x")), cm("x")]])];
    const after = applyChanges(before, [
      { i: 0, type: "DELETED", object: cm("a") },
      { i: 0, type: "DELETED", object: cm("never-there") },
    ]);
    expect(after[0]!.size).toBe(0);
    expect(before[0]!.size).toBe(1);
    expect(after[1]).toBe(before[1]); // untouched collections are not copied
  });

  it("keys are namespace/name, so objects of two namespaces with one name stay apart, and cluster-scoped ones are /name", () => {
    expect(objectKey(cm("web", "0", "a"))).not.toBe(objectKey(cm("web", "0", "b")));
    expect(objectKey(node("node-1"))).toBe("/node-1");
    const both = applyChanges(
      [new Map<string, KubeObject>()],
      [
        { i: 0, type: "ADDED", object: cm("web", "0", "a") },
        { i: 0, type: "ADDED", object: cm("web", "0", "b") },
      ],
    );
    expect(both[0]!.size).toBe(2);
  });

  it("what it does not know is skipped: a change of a collection the view does not have, an unknown event, unknown fields", () => {
    const lists = [new Map<string, KubeObject>()];
    expect(applyChanges(lists, [{ i: 3, type: "ADDED", object: cm("elsewhere") }])[0]!.size).toBe(0);
    const text =
      `event: hello-from-a-newer-server\ndata: {}\n\n` +
      `id: e:1\nevent: changes\ndata: ${JSON.stringify({ events: [{ i: 0, type: "ADDED", object: cm("a"), extra: 1 }], more: true })}\n\n`;
    const { frames } = readAll(text);
    expect(frames.map((f) => f.event)).toEqual(["changes"]);
    expect(decodeFrame("hello-from-a-newer-server", "{}")).toBeNull();
  });

  it("a known frame that is malformed is an error, not a silently wrong list", () => {
    expect(() =>
      decodeFrame("changes", JSON.stringify({ events: [{ i: 0, type: "RENAMED", object: cm("a") }] })),
    ).toThrow();
    expect(() =>
      decodeFrame("snapshot", JSON.stringify({ collections: [{ i: 0, items: [{ kind: "no metadata" }] }] })),
    ).toThrow("snapshot.collections[0].items[0] is not a Kubernetes object");
    expect(() => decodeFrame("snapshot", JSON.stringify({ collections: [{ i: -1, items: [] }] }))).toThrow(
      "snapshot.collections[0].i is not a non-negative integer",
    );
    expect(() => decodeFrame("snapshot", "{}")).toThrow("snapshot.collections is not an array");
    expect(() => decodeFrame("status", JSON.stringify({ i: 0, state: "sleeping" }))).toThrow(
      "status.state is not a state",
    );
    expect(() => decodeFrame("changes", "[1,")).toThrow(SyntaxError);
  });

  it("a frame split across reads anywhere (one character at a time, or mid-way through a multi-byte character) reads the same", async () => {
    const text =
      encodeFrame(snapshot) +
      HEARTBEAT +
      encodeFrame({
        event: "changes",
        id: "e:6.0",
        data: { events: [{ i: 0, type: "ADDED", object: cm("größe-ü") }] },
      });
    const whole = readAll(text).frames;
    expect(readAll(text, 1).frames).toEqual(whole);
    expect(readAll(text, 7).frames).toEqual(whole);
    const bytes = new TextEncoder().encode(text);
    const split = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ö"
    const frames: LiveFrame[] = [];
    for await (const f of readFrames(stream([bytes.slice(0, split), bytes.slice(split)]))) frames.push(f);
    expect(frames).toEqual(whole);
  });

  it("comments and heartbeats are skipped, wherever they fall", () => {
    const text =
      HEARTBEAT +
      encodeFrame(snapshot) +
      HEARTBEAT +
      HEARTBEAT +
      `: a comment line\nid: e:9.0\nevent: status\ndata: {"i":0,"state":"reconnecting"}\n\n`;
    const { frames } = readAll(text, 5);
    expect(frames.map((f) => f.event)).toEqual(["snapshot", "status"]);
  });

  it("the last event id is the latest frame's that had one, for Last-Event-ID: status frames and heartbeats keep it", () => {
    expect(readAll(HEARTBEAT).lastEventId).toBeNull();
    const status = encodeFrame({ event: "status", data: { i: 0, state: "live" } });
    expect(status).not.toContain("id:");
    expect(readAll(encodeFrame(snapshot) + encodeFrame(changes) + status + HEARTBEAT).lastEventId).toBe("e:5.0");
    const raw: string[] = [];
    const reader = sseReader((m) => raw.push(`${m.event} ${m.id ?? "-"}`));
    reader.feed(encodeFrame(snapshot) + status);
    expect(raw).toEqual(["snapshot e:3.0", "status -"]);
    expect(reader.lastEventId).toBe("e:3.0");
  });

  it("leaving the loop early cancels the stream", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(encodeFrame(snapshot)));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const f of readFrames(body)) {
      expect(f.event).toBe("snapshot");
      break;
    }
    expect(cancelled).toBe(true);
  });
});
