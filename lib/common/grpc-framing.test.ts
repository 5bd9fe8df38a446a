import { describe, expect, it } from "vitest";
import { FRAME_PREFIX_BYTES, grpcFrame, markFrameRoom, markReceivedFrame } from "./grpc-framing";

const prefixOf = (framed: Buffer) => [framed[0], framed.readUInt32BE(1)];
/** The frame is the 5 bytes in front of the message and the message itself (small buffers share one pool, so the ArrayBuffer alone does not tell). */
const inPlace = (framed: Buffer, msg: Buffer) =>
  framed.buffer === msg.buffer && framed.byteOffset === msg.byteOffset - FRAME_PREFIX_BYTES;

describe("gRPC framing in place", () => {
  it("frames a message with room in front of it without copying it", () => {
    const msg = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + 300_000)
      .subarray(FRAME_PREFIX_BYTES)
      .fill(9);
    markFrameRoom(msg);
    const framed = grpcFrame(msg);
    expect(inPlace(framed, msg)).toBe(true);
    expect(prefixOf(framed)).toEqual([0, 300_000]);
    expect(framed.subarray(FRAME_PREFIX_BYTES).equals(msg)).toBe(true);
  });

  it("copies a message without room into a new frame, and leaves the bytes around it alone", () => {
    const around = Buffer.alloc(20, 7);
    const msg = around.subarray(8, 12).fill(1);
    const framed = grpcFrame(msg); // not marked: the 5 bytes in front belong to someone else
    expect(inPlace(framed, msg)).toBe(false);
    expect([...framed]).toEqual([0, 0, 0, 0, 4, 1, 1, 1, 1]);
    expect([...around.subarray(0, 8)]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it("frames a received message where its own frame was, and only when that frame is really in front of it", () => {
    const received = Buffer.from([0, 0, 0, 0, 3, 1, 2, 3]).subarray(FRAME_PREFIX_BYTES);
    markReceivedFrame(received);
    const framed = grpcFrame(received);
    expect(inPlace(framed, received)).toBe(true);
    expect([...framed]).toEqual([0, 0, 0, 0, 3, 1, 2, 3]);
    // Five bytes in front that are not this message's frame (another length, or a compressed flag).
    for (const bytes of [
      [0, 0, 0, 0, 9, 1, 2, 3],
      [1, 0, 0, 0, 3, 1, 2, 3],
    ]) {
      const other = Buffer.from(bytes);
      const msg = other.subarray(FRAME_PREFIX_BYTES);
      markReceivedFrame(msg);
      expect(inPlace(grpcFrame(msg), msg)).toBe(false);
      expect([...other]).toEqual(bytes);
    }
  });
});
