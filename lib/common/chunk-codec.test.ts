import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { MakeRequestRequest, MakeRequestResponse } from "../../proto/gen/tether/v1/internal_api";
import { ConnectRequest, ConnectResponse } from "../../proto/gen/tether/v1/tunnel";
import { InternalService, TunnelService, decodeChunkMessage, gatherChunk } from "./chunk-codec";

const bytes = (n: number) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) % 256));
const SIZES = [0, 1, 127, 128, 16_383, 16_384, 32 * 1024, 70_000, 256 * 1024];

const methods = [
  {
    name: "ConnectRequest",
    codec: ConnectRequest,
    ser: TunnelService.connect.requestSerialize,
    de: TunnelService.connect.requestDeserialize,
  },
  {
    name: "ConnectResponse",
    codec: ConnectResponse,
    ser: TunnelService.connect.responseSerialize,
    de: TunnelService.connect.responseDeserialize,
  },
  {
    name: "MakeRequestRequest",
    codec: MakeRequestRequest,
    ser: InternalService.makeRequest.requestSerialize,
    de: InternalService.makeRequest.requestDeserialize,
  },
  {
    name: "MakeRequestResponse",
    codec: MakeRequestResponse,
    ser: InternalService.makeRequest.responseSerialize,
    de: InternalService.makeRequest.responseDeserialize,
  },
] as const;

describe("the chunk fast path", () => {
  for (const m of methods) {
    describe(m.name, () => {
      it.each(SIZES)(
        "writes a %i-byte chunk exactly as the generated encoder does, and both decoders read it back",
        (n) => {
          const data = bytes(n);
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one test body for four message types whose oneofs differ
          const message = { msg: { $case: "data", value: { data } } } as any;
          const fast = m.ser(message);
          const generated = Buffer.from(m.codec.encode(message).finish());
          expect(fast.equals(generated)).toBe(true);
          expect(m.codec.decode(fast)).toEqual(message);
          const read = m.de(generated);
          expect(read.msg?.$case).toBe("data");
          expect(Buffer.from((read.msg!.value as { data: Uint8Array }).data).equals(data)).toBe(true);
        },
        // toEqual over a 256 KiB array takes seconds on a loaded 2-core machine.
        30_000,
      );
    });
  }

  it("leaves every other message to the generated code", () => {
    const header: ConnectResponse = {
      msg: {
        $case: "header",
        value: {
          requestId: "r1",
          method: "GET",
          path: "/api",
          headers: [{ name: "accept", values: ["application/json"] }],
          impersonation: undefined,
          noBody: true,
        },
      },
    };
    const wire = TunnelService.connect.responseSerialize(header);
    expect(Buffer.from(ConnectResponse.encode(header).finish()).equals(wire)).toBe(true);
    expect(TunnelService.connect.responseDeserialize(wire)).toEqual(header);
    const trailer: ConnectRequest = {
      msg: { $case: "trailer", value: { error: "boom", keepOpen: true, channelBytes: 0 } },
    };
    expect(TunnelService.connect.requestDeserialize(TunnelService.connect.requestSerialize(trailer))).toEqual(trailer);
  });

  it("writes each message in full and alone, whatever came before it (large, small, one that failed)", () => {
    const answer = (n: number): ConnectRequest => ({
      msg: {
        $case: "header",
        value: {
          status: 200,
          headers: [{ name: "content-type", values: ["application/json"] }],
          complete: true,
          body: bytes(n),
          keepOpen: true,
          channel: false,
        },
      },
    });
    const broken = { msg: { $case: "header", value: { status: 200, headers: [null], keepOpen: true } } };
    const sent: Buffer[] = [];
    for (const n of [600, 200_000, 10, 70_000, 600]) {
      sent.push(TunnelService.connect.requestSerialize(answer(n)));
      expect(() => TunnelService.connect.requestSerialize(broken as unknown as ConnectRequest)).toThrow();
    }
    [600, 200_000, 10, 70_000, 600].forEach((n, i) => {
      expect(sent[i]!.equals(Buffer.from(ConnectRequest.encode(answer(n)).finish()))).toBe(true);
      expect(TunnelService.connect.requestDeserialize(sent[i]!)).toEqual(answer(n));
    });
  });

  it("falls back to the generated decoder for chunk messages in any other valid form", () => {
    // A chunk whose data field appears twice (protobuf: the last one wins), and one with an unknown field.
    const twice = new BinaryWriter();
    twice
      .uint32((3 << 3) | 2)
      .fork()
      .uint32(10)
      .bytes(bytes(5))
      .uint32(10)
      .bytes(bytes(9))
      .join();
    const twiceBuf = Buffer.from(twice.finish());
    expect(decodeChunkMessage(3, twiceBuf)).toBeNull();
    const read = TunnelService.connect.requestDeserialize(twiceBuf);
    expect(read).toEqual(ConnectRequest.decode(twiceBuf));
    expect((read.msg?.value as { data: Buffer }).data.length).toBe(9);

    const unknown = new BinaryWriter();
    unknown
      .uint32((3 << 3) | 2)
      .fork()
      .uint32(10)
      .bytes(bytes(4))
      .uint32((7 << 3) | 0)
      .uint32(1)
      .join();
    const unknownBuf = Buffer.from(unknown.finish());
    expect(decodeChunkMessage(3, unknownBuf)).toBeNull();
    expect(TunnelService.connect.requestDeserialize(unknownBuf)).toEqual(ConnectRequest.decode(unknownBuf));
  });

  it("refuses cut-short input instead of reading past it", () => {
    const whole = TunnelService.connect.requestSerialize({ msg: { $case: "data", value: { data: bytes(1000) } } });
    expect(decodeChunkMessage(3, whole.subarray(0, 500))).toBeNull();
    expect(() => TunnelService.connect.requestDeserialize(whole.subarray(0, 500))).toThrow();
  });

  it("passes a received chunk on with only its tag rewritten, once", () => {
    const data = bytes(40_000);
    const fromAgent = TunnelService.connect.requestSerialize({ msg: { $case: "data", value: { data } } });
    const received = TunnelService.connect.requestDeserialize(Buffer.from(fromAgent));
    const chunk = received.msg!.value as { data: Buffer };
    const toWeb = InternalService.makeRequest.responseSerialize({
      msg: { $case: "data", value: { data: chunk.data } },
    });
    expect(
      toWeb.equals(Buffer.from(MakeRequestResponse.encode({ msg: { $case: "data", value: { data } } }).finish())),
    ).toBe(true);
    expect(Buffer.from(chunk.data).equals(data)).toBe(true); // the bytes the receiver holds are untouched
    // Sent a second time, it is encoded afresh (the received buffer now carries the other tag).
    const again = TunnelService.connect.requestSerialize({ msg: { $case: "data", value: { data: chunk.data } } });
    expect(again.equals(fromAgent)).toBe(true);
  });

  it.each(methods)(
    "sends a body gathered from pieces ($name) as the generated encoder writes it, in the one buffer it was gathered into",
    (m) => {
      const data = bytes(100_000);
      const pieces = [data.subarray(0, 10), data.subarray(10, 16_394), data.subarray(16_394)];
      const gathered = gatherChunk(pieces, data.length);
      expect(gathered.equals(data)).toBe(true);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one test body for four message types whose oneofs differ
      const message = { msg: { $case: "data", value: { data: gathered } } } as any;
      const sent = m.ser(message);
      expect(sent.buffer).toBe(gathered.buffer);
      expect(
        sent.equals(Buffer.from(m.codec.encode({ msg: { $case: "data", value: { data } } } as never).finish())),
      ).toBe(true);
    },
  );
});
