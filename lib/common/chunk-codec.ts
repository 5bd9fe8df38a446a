// The tunnel's gRPC services with a fast path for body chunks. A large answer crosses kas as
// thousands of `Chunk` messages; the generated encoder grows its buffer by doubling and copies each
// chunk several times, and the generated decoder copies it again. Here a chunk message is written
// with one allocation and one copy, and read as a view of the received buffer. The wire format is
// exactly protobuf's (chunk-codec.test.ts checks it against the generated code both ways); every
// other message, and any chunk message that is not in the plain form written here, goes through the
// generated code.
import { makeGenericClientConstructor } from "@grpc/grpc-js";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { CHUNK_SIZE } from "./tunnel-wire";
import { FRAME_PREFIX_BYTES, markFrameRoom, markReceivedFrame } from "./grpc-framing";
import {
  KasInternalServiceClient,
  KasInternalServiceService,
  MakeRequestRequest,
  MakeRequestResponse,
} from "../../proto/gen/tether/v1/internal_api";
import {
  ConnectRequest,
  ConnectResponse,
  ReverseTunnelServiceClient,
  ReverseTunnelServiceService,
} from "../../proto/gen/tether/v1/tunnel";

/** Field numbers of the `data` (Chunk) member of each message's `msg` oneof, from tunnel.proto and internal_api.proto. */
const DATA_FIELD = { ConnectRequest: 3, ConnectResponse: 2, MakeRequestRequest: 2, MakeRequestResponse: 2 } as const;
const LEN = 2; // wire type of length-delimited fields
const CHUNK_DATA_TAG = (1 << 3) | LEN; // Chunk.data = 1

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

/** [value, next position], or null when the varint is cut short or longer than 32 bits. */
function readVarint(buf: Buffer, pos: number): [number, number] | null {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= buf.length) return null;
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
  }
  return null;
}

/**
 * The received message a decoded chunk came from. kas passes an agent's chunks on to web: the two
 * messages differ only in their first byte (the oneof field's tag), so the received bytes are sent on
 * with that byte rewritten instead of being encoded again.
 */
const WIRE = Symbol("chunk message as received");
/** Chunk data as decoded here: a view of the received message, which it remembers. */
type ReceivedData = Uint8Array & { [WIRE]?: { buf: Buffer; field: number } };

/** One message whose oneof member `field` is a Chunk holding `data`. */
export function encodeChunkMessage(field: number, data: Uint8Array): Buffer {
  const inner = data.length === 0 ? 0 : 1 + varintSize(data.length) + data.length;
  const size = 1 + varintSize(inner) + inner;
  // Room in front for gRPC's frame prefix, as in gatherChunk.
  const out = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + size).subarray(FRAME_PREFIX_BYTES);
  markFrameRoom(out);
  let pos = 0;
  out[pos++] = (field << 3) | LEN;
  pos = writeVarint(out, pos, inner);
  if (data.length > 0) {
    out[pos++] = CHUNK_DATA_TAG;
    pos = writeVarint(out, pos, data.length);
    out.set(data, pos);
  }
  return out;
}

/**
 * `total` body bytes from `pieces`, gathered straight into a chunk message: the returned data is a
 * view of that message, which the serializer sends as it is (writing the tag of the message it goes
 * in), so gathering a body message and encoding it are one copy, not two.
 */
export function gatherChunk(pieces: readonly Uint8Array[], total: number): Buffer {
  if (total === 0) return Buffer.alloc(0);
  const inner = 1 + varintSize(total) + total;
  const size = 1 + varintSize(inner) + inner;
  // Room in front for gRPC's frame prefix: kas's server frames the message in place (grpc-framing.ts).
  const whole =
    (size === FULL_MESSAGE_BYTES ? fullMessages.pop() : undefined) ?? Buffer.allocUnsafe(FRAME_PREFIX_BYTES + size);
  const msg = whole.subarray(FRAME_PREFIX_BYTES);
  markFrameRoom(msg);
  let pos = 1; // the tag byte, written by the serializer
  pos = writeVarint(msg, pos, inner);
  msg[pos++] = CHUNK_DATA_TAG;
  pos = writeVarint(msg, pos, total);
  const data = msg.subarray(pos);
  for (const p of pieces) {
    msg.set(p, pos);
    pos += p.length;
  }
  // field 0 matches no message: the serializer always writes the tag.
  Object.defineProperty(data, WIRE, { value: { buf: msg, field: 0 }, writable: true, enumerable: false });
  if (size === FULL_MESSAGE_BYTES)
    Object.defineProperty(data, GATHERED, { value: whole, writable: true, enumerable: false });
  return data;
}

/**
 * Full body messages (CHUNK_SIZE bytes of body) whose sender is done with them, for the next gatherChunk:
 * a bulk transfer then reuses a handful of buffers instead of allocating a quarter MiB per message, which
 * cost the agent and kas more in garbage collection (external memory drives V8's collections) and in
 * touching fresh memory than the copying itself.
 */
const fullMessages: Buffer[] = [];
const KEEP_FULL_MESSAGES = 32;
/** A full body message's size (FRAME_PREFIX_BYTES of room come in front of it). */
const FULL_MESSAGE_BYTES = (() => {
  const inner = 1 + varintSize(CHUNK_SIZE) + CHUNK_SIZE;
  return 1 + varintSize(inner) + inner;
})();

/**
 * Gives the message that `data` (from gatherChunk) was gathered into back for reuse. Only for a sender
 * that knows nothing holds the message any more: its transport's write callback has run (grpc-js's
 * client copies a message into its own frame when it sends it; kas's server and a socket send the
 * message itself, and call back once it was written).
 */
export function releaseChunk(data: Uint8Array): void {
  const d = data as GatheredData;
  const buf = d[GATHERED];
  if (!buf || fullMessages.length >= KEEP_FULL_MESSAGES) return;
  d[GATHERED] = undefined;
  d[WIRE] = undefined;
  fullMessages.push(buf);
}
/** The buffer a full gatherChunk result was gathered into, frame room included (the serializer clears WIRE when it sends). */
const GATHERED = Symbol("full message gathered here");
type GatheredData = ReceivedData & { [GATHERED]?: Buffer | undefined };

/** The chunk's bytes (a view of `buf`) when `buf` is exactly one plain chunk message of `field`, else null. */
export function decodeChunkMessage(field: number, buf: Buffer): Buffer | null {
  if (buf.length < 2 || buf[0] !== ((field << 3) | LEN)) return null;
  const outer = readVarint(buf, 1);
  if (!outer || outer[1] + outer[0] !== buf.length) return null;
  let pos = outer[1];
  if (pos === buf.length) return Buffer.alloc(0);
  if (buf[pos++] !== CHUNK_DATA_TAG) return null;
  const inner = readVarint(buf, pos);
  if (!inner || inner[1] + inner[0] !== buf.length) return null;
  return buf.subarray(inner[1]);
}

/** A generated encoder's output as a Buffer without another copy (finish() returns a fresh array). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface Codec<T> {
  encode(message: T, writer: BinaryWriter): BinaryWriter;
  decode(input: Uint8Array): T;
}

/**
 * A writer kept across messages: a fresh one (the generated code's default) starts at 128 bytes and
 * doubles into a new zeroed buffer until the message fits, four or five off-heap allocations for a
 * request's header or a small complete answer. Kept, its buffer has the size of the largest message so
 * far, and an encode allocates only the result. A writer that grew past `KEEP_WRITER_BYTES` is let go.
 */
const KEEP_WRITER_BYTES = 64 * 1024;

function reusedEncoder<T>(codec: Codec<T>): (message: T) => Buffer {
  let writer = new BinaryWriter();
  return (message) => {
    let bytes: Uint8Array;
    try {
      bytes = codec.encode(message, writer).finish();
    } catch (e) {
      writer = new BinaryWriter(); // half a message may be in it
      throw e;
    }
    if (bytes.length > KEEP_WRITER_BYTES) writer = new BinaryWriter();
    return asBuffer(bytes);
  };
}

type WithChunk = { msg?: { $case: string; value: unknown } | undefined };

function serializer<T extends WithChunk>(codec: Codec<T>, field: number): (value: T) => Buffer {
  const encode = reusedEncoder(codec);
  return (value) => {
    if (value.msg?.$case !== "data") return encode(value);
    const data = (value.msg.value as { data: ReceivedData }).data;
    const wire = data[WIRE];
    // Passed on unchanged, once: rewrite the tag in place (the bytes after it are the same message).
    if (wire) {
      data[WIRE] = undefined;
      if (wire.field !== field) wire.buf[0] = (field << 3) | LEN;
      return wire.buf;
    }
    return encodeChunkMessage(field, data);
  };
}

function deserializer<T extends WithChunk>(codec: Codec<T>, field: number): (buf: Buffer) => T {
  return (buf) => {
    const data = decodeChunkMessage(field, buf);
    if (!data) return codec.decode(buf);
    // A body message is often passed on as it came: it can be framed again where its frame was.
    markReceivedFrame(buf);
    // Not enumerable: equality checks and logs see plain bytes.
    Object.defineProperty(data, WIRE, { value: { buf, field }, writable: true, enumerable: false });
    return { msg: { $case: "data", value: { data } } } as T;
  };
}

export const TunnelService = {
  connect: {
    ...ReverseTunnelServiceService.connect,
    requestSerialize: serializer(ConnectRequest, DATA_FIELD.ConnectRequest),
    requestDeserialize: deserializer(ConnectRequest, DATA_FIELD.ConnectRequest),
    responseSerialize: serializer(ConnectResponse, DATA_FIELD.ConnectResponse),
    responseDeserialize: deserializer(ConnectResponse, DATA_FIELD.ConnectResponse),
  },
} as const;

export const InternalService = {
  ...KasInternalServiceService,
  makeRequest: {
    ...KasInternalServiceService.makeRequest,
    requestSerialize: serializer(MakeRequestRequest, DATA_FIELD.MakeRequestRequest),
    requestDeserialize: deserializer(MakeRequestRequest, DATA_FIELD.MakeRequestRequest),
    responseSerialize: serializer(MakeRequestResponse, DATA_FIELD.MakeRequestResponse),
    responseDeserialize: deserializer(MakeRequestResponse, DATA_FIELD.MakeRequestResponse),
  },
} as const;

/** The agent's client for ReverseTunnelService, with the chunk fast path. */
export const ReverseTunnelClient = makeGenericClientConstructor(
  TunnelService,
  "tether.v1.ReverseTunnelService",
) as unknown as typeof ReverseTunnelServiceClient;

/** web's client for kas's internal API, with the chunk fast path. */
export const InternalClient = makeGenericClientConstructor(
  InternalService,
  "tether.v1.KasInternalService",
) as unknown as typeof KasInternalServiceClient;
