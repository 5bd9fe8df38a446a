// The receptive handshake both ends speak: kas dials the agent over TLS and, before any HTTP/2 byte, sends
// one line with a short-lived JWT signed with the agent's Ed25519 key (or "-" when its client certificate
// is its proof); the agent answers "OK" or "ERR <why>" and closes. After "OK" the connection carries the
// ordinary tunnel: the agent is the gRPC client, kas the server. Imports nothing process-specific.
import type { Duplex } from "node:stream";

export const RECEPTIVE_PREAMBLE = "TETHER-RECEPTIVE/1";
/** Who signs and who accepts the handshake JWT. */
export const RECEPTIVE_JWT_ISSUER = "tether-kas";
export const RECEPTIVE_JWT_AUDIENCE = "tether-agent";
/** The longest life a handshake JWT may claim (exp − iat); kas issues them for 20 s. */
export const RECEPTIVE_JWT_MAX_LIFETIME_S = 30;
export const RECEPTIVE_JWT_LIFETIME_S = 20;
/** Either end gives up on a handshake that has not finished in this time. */
export const RECEPTIVE_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Longer than any preamble line kas sends (an Ed25519 JWT is ~300 bytes). */
export const RECEPTIVE_MAX_LINE_BYTES = 4096;

/**
 * Reads one "\n"-terminated line from the socket and leaves every byte after it unread (pushed back),
 * so the HTTP/2 bytes that follow the handshake reach whoever reads next. Rejects on close, on a line
 * longer than `maxBytes`, and after `timeoutMs`.
 */
export function readLine(socket: Duplex, timeoutMs: number, maxBytes = RECEPTIVE_MAX_LINE_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const done = (err: Error | null, line?: string) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
      socket.off("end", onClose);
      if (err) reject(err);
      else resolve(line!);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const nl = buffered.indexOf(0x0a);
      if (nl < 0) {
        if (buffered.length > maxBytes) done(new Error(`handshake line longer than ${maxBytes} bytes`));
        return;
      }
      socket.pause();
      const rest = buffered.subarray(nl + 1);
      if (rest.length > 0) socket.unshift(rest);
      done(null, buffered.subarray(0, nl).toString("utf8").replace(/\r$/, ""));
    };
    const onClose = () => done(new Error("connection closed during the handshake"));
    const onError = (e: Error) => done(e);
    const timer = setTimeout(() => done(new Error(`no handshake within ${timeoutMs} ms`)), timeoutMs);
    socket.on("data", onData);
    socket.once("end", onClose);
    socket.once("close", onClose);
    socket.once("error", onError);
  });
}
