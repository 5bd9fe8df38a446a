// gRPC frames every message with a 5-byte prefix (a compressed flag and the length, big-endian). grpc-js's
// server builds each frame by allocating a new buffer 5 bytes longer than the message and copying the
// message into it. kas relays response bodies to web and to other kas replicas in messages of up to 256 KiB,
// and that copy into freshly allocated memory was the largest item in a CPU profile of grpc-js sending
// them (`bench/transport`: 3.0 of 7.5 busy seconds per GB sent, the kernel zeroing and mapping the new
// pages; copying into reused memory costs a twentieth of it).
//
// A body message that has 5 bytes of room of its own in front of it is framed in place instead: the
// prefix is written into the room and the framed view goes to the socket. Body messages gathered by
// chunk-codec's gatherChunk keep that room; a message received from another gRPC peer still has its own
// prefix in front of it (grpc-js reads a whole frame into one buffer), so passing it on rewrites the same
// five bytes. Every other message is copied into a new frame as before. The message is then held by the
// HTTP/2 stream until it is written, so its buffer is reused only after the write callback (chunk-codec's
// releaseChunk, called from there). kas/grpc-servers.ts makes grpc-js's server frame with grpcFrame.

export const FRAME_PREFIX_BYTES = 5;
const ROOM = Symbol("5 bytes of room in front of this message");
type Marked = Buffer & { [ROOM]?: boolean };

/** `msg` has FRAME_PREFIX_BYTES bytes in front of it in its ArrayBuffer that nothing else uses. */
export function markFrameRoom(msg: Buffer): void {
  if (msg.byteOffset < FRAME_PREFIX_BYTES) return;
  // Not enumerable: equality checks and logs see plain bytes.
  Object.defineProperty(msg, ROOM, { value: true, writable: true, enumerable: false });
}

/**
 * `msg` as received from a gRPC peer: marked when the 5 bytes in front of it are its own frame prefix
 * (uncompressed, its length), so that rewriting them changes nothing.
 */
export function markReceivedFrame(msg: Buffer): void {
  if (msg.byteOffset < FRAME_PREFIX_BYTES) return;
  const prefix = Buffer.from(msg.buffer, msg.byteOffset - FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES);
  if (prefix[0] === 0 && prefix.readUInt32BE(1) === msg.length) markFrameRoom(msg);
}

/** The gRPC frame of `msg`: in place when it has room, else a new buffer. */
export function grpcFrame(msg: Buffer): Buffer {
  const inPlace = (msg as Marked)[ROOM] === true && msg.byteOffset >= FRAME_PREFIX_BYTES;
  const framed = inPlace
    ? Buffer.from(msg.buffer, msg.byteOffset - FRAME_PREFIX_BYTES, msg.length + FRAME_PREFIX_BYTES)
    : Buffer.allocUnsafe(msg.length + FRAME_PREFIX_BYTES);
  framed[0] = 0; // not compressed
  framed.writeUInt32BE(msg.length, 1);
  if (!inPlace) msg.copy(framed, FRAME_PREFIX_BYTES);
  return framed;
}
