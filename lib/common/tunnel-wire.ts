// What the tunnel's two ends agree on beyond the .proto: how kas tells its callers why a request
// failed (a gRPC status plus a machine-readable code in the trailing metadata, so web can raise a
// typed error), the largest body piece, and which HTTP headers never cross.
export const TUNNEL_ERROR_KEY = "tether-error";
export const LAST_SEEN_KEY = "tether-last-seen-ms";

export type TunnelErrorCode =
  "agent_not_connected" | "stream_limit" | "timeout" | "unauthenticated" | "tunnel_broken" | "bad_request";

/**
 * 256 KiB: the largest body message. Senders gather body bytes into messages up to this size (each
 * message costs CPU at both ends) and flush as soon as nothing more is queued (body-relay.ts); every
 * max-message-length setting on the tunnel's ends admits it with room for the message's framing.
 */
export const CHUNK_SIZE = 256 * 1024;

/**
 * HTTP/2 receive windows (per stream and per connection) on every tunnel connection, both ends. With
 * Node's 64 KiB defaults a stream moves a quarter of one body message per round trip.
 */
export const RECEIVE_WINDOW_BYTES = 8 * 1024 * 1024;

/** Buckets of the body-message size histograms (`tether_<process>_tunnel_body_message_bytes`): 512 B to 256 KiB. */
export const BODY_MESSAGE_BUCKETS = Array.from({ length: 10 }, (_, i) => 512 * 2 ** i);

/** Yields `data` in pieces of at most CHUNK_SIZE bytes. */
export function* chunks(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += CHUNK_SIZE) yield data.subarray(i, Math.min(i + CHUNK_SIZE, data.length));
}

/** Request headers the tunnel never carries: hop-by-hop ones, credentials, and impersonation. */
export function isDroppedRequestHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith("impersonate-") || HOP_BY_HOP.has(n) || n === "authorization" || n === "cookie" || n === "host";
}

export function isHopByHopHeader(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
