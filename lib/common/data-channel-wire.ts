// The tunnel's data channel: a plain byte stream (TCP, or TLS when kas's agent port has TLS) beside the
// agent's gRPC connection, on the same port, that carries the bytes of streamed response bodies from
// the agent to kas. gRPC keeps everything else (request headers and bodies, response headers, trailers,
// upgrades, control). The channel exists because grpc-js costs several times a raw socket per byte on
// both ends (docs/architecture.md, "What the tunnel costs").
//
// A connection starts with DATA_CHANNEL_MAGIC (kas's listener tells it from HTTP/2's preface by it),
// then frames both ways: a 9-byte header (type, stream number, payload length; big-endian) and the
// payload. The agent says HELLO with the secret kas gave its gRPC streams; kas answers READY or REFUSED.
// DATA frames carry one stream's body bytes; kas returns CREDIT for them as the receiver takes them, and
// the agent never has more than STREAM_CREDIT_BYTES of a stream's bytes unreturned, so one slow reader
// holds back its own stream, not the channel.
import { gatherChunk } from "./chunk-codec";
import { CHUNK_SIZE } from "./tunnel-wire";

/** What a data channel connection sends first (the HTTP/2 preface starts "PRI", this starts "T"). */
export const DATA_CHANNEL_MAGIC = Buffer.from("TETHER-DATA/1\r\n", "latin1");

export const FrameType = {
  /** agent → kas: the channel secret (payload), stream 0. */
  Hello: 1,
  /** kas → agent: the channel is bound to the agent's connection. */
  Ready: 2,
  /** kas → agent: why the channel is refused (payload, UTF-8); kas then closes it. */
  Refused: 3,
  /** agent → kas: body bytes of the stream's running request. */
  Data: 4,
  /** kas → agent: the receiver took this many more bytes of the stream (payload: uint32). */
  Credit: 5,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const FRAME_HEADER_BYTES = 9;
/** Unreturned bytes a stream may have on the channel (kas holds at most this much of a stalled stream). */
export const STREAM_CREDIT_BYTES = 4 * 1024 * 1024;
/** Metadata kas sets on an accepted Connect stream: the channel secret of its connection, and its number. */
export const CHANNEL_SECRET_KEY = "tether-data-channel";
export const CHANNEL_STREAM_KEY = "tether-data-stream";
const MAX_CONTROL_PAYLOAD = 1024;

export function frameHeader(type: FrameType, stream: number, length: number): Buffer {
  const h = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  h[0] = type;
  h.writeUInt32BE(stream, 1);
  h.writeUInt32BE(length, 5);
  return h;
}

export function controlFrame(type: FrameType, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([frameHeader(type, stream, payload.length), payload]);
}

export function creditFrame(stream: number, bytes: number): Buffer {
  const f = Buffer.allocUnsafe(FRAME_HEADER_BYTES + 4);
  f[0] = FrameType.Credit;
  f.writeUInt32BE(stream, 1);
  f.writeUInt32BE(4, 5);
  f.writeUInt32BE(bytes, 9);
  return f;
}

export class ChannelProtocolError extends Error {}

/**
 * Reads frames from the channel's bytes as they arrive. A DATA payload is gathered with one copy into
 * the layout of a body message (chunk-codec's gatherChunk), so kas can pass it on to web as it is.
 */
export class FrameReader {
  private header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  private headerHave = 0;
  private type = 0;
  private stream = 0;
  private length = 0;
  private pieces: Buffer[] = [];
  private have = 0;
  private inPayload = false;

  constructor(private readonly onFrame: (type: number, stream: number, payload: Buffer) => void) {}

  /** Throws ChannelProtocolError on a frame no peer of this version sends. */
  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (!this.inPayload) {
        const n = Math.min(FRAME_HEADER_BYTES - this.headerHave, chunk.length - pos);
        chunk.copy(this.header, this.headerHave, pos, pos + n);
        this.headerHave += n;
        pos += n;
        if (this.headerHave < FRAME_HEADER_BYTES) return;
        this.headerHave = 0;
        this.type = this.header[0]!;
        this.stream = this.header.readUInt32BE(1);
        this.length = this.header.readUInt32BE(5);
        const max = this.type === FrameType.Data ? CHUNK_SIZE : MAX_CONTROL_PAYLOAD;
        if (this.type < FrameType.Hello || this.type > FrameType.Credit)
          throw new ChannelProtocolError(`unknown data channel frame type ${this.type}`);
        if (this.length > max)
          throw new ChannelProtocolError(`data channel frame of ${this.length} bytes (at most ${max})`);
        this.inPayload = true;
        this.pieces = [];
        this.have = 0;
      }
      const n = Math.min(this.length - this.have, chunk.length - pos);
      if (n > 0) {
        this.pieces.push(chunk.subarray(pos, pos + n));
        this.have += n;
        pos += n;
      }
      if (this.have === this.length) {
        this.inPayload = false;
        const payload =
          this.type === FrameType.Data
            ? gatherChunk(this.pieces, this.length)
            : this.pieces.length === 1
              ? this.pieces[0]!
              : Buffer.concat(this.pieces);
        this.pieces = [];
        this.onFrame(this.type, this.stream, payload);
      }
    }
  }
}
