// What the tunnel's two ends agree on beyond the .proto: how kas tells its callers why a request
// failed (a gRPC status plus a machine-readable code in the trailing metadata, so web can raise a
// typed error), the largest body piece, and which HTTP headers never cross.
export const TUNNEL_ERROR_KEY = "tether-error";
export const LAST_SEEN_KEY = "tether-last-seen-ms";

export type TunnelErrorCode =
  | "agent_not_connected"
  | "stream_limit"
  | "timeout"
  | "unauthenticated"
  | "tunnel_broken"
  | "bad_request";

/** 32 KiB: the largest body piece sent in one message, so one big answer never blocks others. */
export const CHUNK_SIZE = 32 * 1024;

/** Yields `data` in pieces of at most CHUNK_SIZE bytes. */
export function* chunks(data: Uint8Array): Generator<Uint8Array> {
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

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);
