import { describe, expect, it } from "vitest";
import { TunnelService } from "./chunk-codec";
import {
  ChannelProtocolError,
  FRAME_HEADER_BYTES,
  FrameReader,
  FrameType,
  controlFrame,
  creditFrame,
  frameHeader,
} from "./data-channel-wire";
import { CHUNK_SIZE } from "./tunnel-wire";

function frames(): { reader: FrameReader; got: [number, number, Buffer][] } {
  const got: [number, number, Buffer][] = [];
  return { reader: new FrameReader((t, s, p) => got.push([t, s, Buffer.from(p)])), got };
}

describe("data channel frames", () => {
  const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
  const wire = Buffer.concat([
    controlFrame(FrameType.Hello, 0, Buffer.from("secret")),
    frameHeader(FrameType.Data, 7, body.length),
    body,
    creditFrame(7, 65_536),
    controlFrame(FrameType.Ready, 0),
  ]);

  it("reads the same frames whatever pieces the bytes arrive in", () => {
    for (const piece of [1, 5, FRAME_HEADER_BYTES, 16_384, wire.length]) {
      const { reader, got } = frames();
      for (let i = 0; i < wire.length; i += piece) reader.push(wire.subarray(i, i + piece));
      expect(got.map(([t, s]) => [t, s])).toEqual([
        [FrameType.Hello, 0],
        [FrameType.Data, 7],
        [FrameType.Credit, 7],
        [FrameType.Ready, 0],
      ]);
      expect(got[0]![2].toString()).toBe("secret");
      expect(got[1]![2].equals(body)).toBe(true);
      expect(got[2]![2].readUInt32BE(0)).toBe(65_536);
      expect(got[3]![2].length).toBe(0);
    }
  });

  it("gathers a body frame straight into a body message that kas sends on to web unchanged", () => {
    let payload: Buffer | null = null;
    const reader = new FrameReader((t, _s, p) => {
      if (t === FrameType.Data) payload = p;
    });
    reader.push(wire.subarray(0, FRAME_HEADER_BYTES + 6 + FRAME_HEADER_BYTES + 100));
    reader.push(wire.subarray(FRAME_HEADER_BYTES + 6 + FRAME_HEADER_BYTES + 100));
    const message = TunnelService.connect.responseSerialize({ msg: { $case: "data", value: { data: payload! } } });
    const decoded = TunnelService.connect.responseDeserialize(message);
    expect(decoded.msg?.$case === "data" && Buffer.from(decoded.msg.value.data).equals(body)).toBe(true);
    // The message is the buffer the frame was gathered into: no second copy on the way to web.
    expect(message.buffer).toBe(payload!.buffer);
  });

  it("refuses a frame larger than a body message, an oversized control frame and an unknown type", () => {
    expect(() => frames().reader.push(frameHeader(FrameType.Data, 1, CHUNK_SIZE + 1))).toThrow(
      new ChannelProtocolError(`data channel frame of ${CHUNK_SIZE + 1} bytes (at most ${CHUNK_SIZE})`),
    );
    expect(() => frames().reader.push(frameHeader(FrameType.Hello, 0, 4096))).toThrow(/at most 1024/);
    const bad = frameHeader(FrameType.Data, 1, 0);
    bad[0] = 9;
    expect(() => frames().reader.push(bad)).toThrow(/unknown data channel frame type 9/);
  });
});
