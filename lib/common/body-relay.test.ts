import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { relayBody } from "./body-relay";
import { CHUNK_SIZE } from "./tunnel-wire";

/** A sink whose messages leave when `release()` is called (or at once when `auto`). */
function sink(auto: boolean) {
  const sent: Buffer[] = [];
  const waiting: (() => void)[] = [];
  return {
    sent,
    release: () => waiting.splice(0).forEach((fn) => fn()),
    s: {
      send(data: Buffer, written: () => void) {
        sent.push(Buffer.from(data));
        if (auto) setImmediate(written);
        else waiting.push(written);
        return true;
      },
      onceDrain: () => undefined,
    },
  };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("relayBody", () => {
  it("sends a lone small piece in the same turn, without waiting for more", async () => {
    const source = new PassThrough();
    const k = sink(true);
    relayBody(source, k.s);
    source.write(Buffer.from('{"type":"ADDED"}\n'));
    await turn();
    await turn();
    expect(k.sent.map(String)).toEqual(['{"type":"ADDED"}\n']);
  });

  it("gathers what one turn yields into messages of at most CHUNK_SIZE", async () => {
    const source = new PassThrough({ highWaterMark: 4 * CHUNK_SIZE });
    const k = sink(true);
    let ended = false;
    relayBody(source, k.s, { onEnd: () => (ended = true) });
    const body = Buffer.alloc(CHUNK_SIZE * 2 + 1000, 7);
    for (let i = 0; i < body.length; i += 16 * 1024) source.write(body.subarray(i, i + 16 * 1024));
    source.end();
    await new Promise((resolve) => source.once("end", resolve));
    await turn();
    expect(ended).toBe(true);
    expect(k.sent.map((b) => b.length)).toEqual([CHUNK_SIZE, CHUNK_SIZE, 1000]);
    expect(Buffer.concat(k.sent).equals(body)).toBe(true);
  });

  it("a bulk body reuses the buffers of messages that have left, and every byte arrives as it was", async () => {
    const source = new PassThrough({ highWaterMark: 4 * CHUNK_SIZE });
    const buffers = new Set<ArrayBufferLike>();
    const got: Buffer[] = [];
    relayBody(source, {
      send(data, written) {
        buffers.add(data.buffer);
        got.push(Buffer.from(data)); // a copy: the original may be refilled once written() ran
        setImmediate(written);
        return true;
      },
      onceDrain: () => undefined,
    });
    const body = Buffer.from(Array.from({ length: 40 * CHUNK_SIZE }, (_, i) => (i * 7) % 256));
    for (let i = 0; i < body.length; i += 64 * 1024) {
      source.write(body.subarray(i, i + 64 * 1024));
      if (i % CHUNK_SIZE === 0) await turn();
    }
    source.end();
    await new Promise((resolve) => source.once("end", resolve));
    await turn();
    expect(Buffer.concat(got).equals(body)).toBe(true);
    // ~40 messages, nearly all full, one or two on their way at a time: a few buffers serve them all.
    expect(got.filter((b) => b.length === CHUNK_SIZE).length).toBeGreaterThanOrEqual(35);
    expect(buffers.size).toBeLessThanOrEqual(6);
  });

  it("while a message is on its way, gathers what follows and sends it when that one has left", async () => {
    const source = new PassThrough();
    const k = sink(false);
    const sizes: number[] = [];
    relayBody(source, k.s, { observe: (n) => sizes.push(n) });
    source.write(Buffer.alloc(100));
    await turn();
    await turn();
    for (let i = 0; i < 5; i++) {
      source.write(Buffer.alloc(1000));
      await turn();
    }
    expect(sizes).toEqual([100]);
    k.release();
    await turn();
    expect(sizes).toEqual([100, 5000]);
  });
});
