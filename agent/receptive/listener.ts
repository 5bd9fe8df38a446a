// The receptive agent's TLS listener: accepts a connection only from a caller that proves the key (a
// handshake JWT signed with the private half of the configured Ed25519 public key) or presents a client
// certificate signed by the configured CA; anything else is refused with a log line that says why and
// is served nothing. An accepted connection is handed on (onAccepted) with no byte of it read past the
// handshake line.
import { createPublicKey, type KeyObject } from "node:crypto";
import tls from "node:tls";
import { errors as joseErrors, jwtVerify } from "jose";
import type { Logger } from "pino";
import {
  RECEPTIVE_HANDSHAKE_TIMEOUT_MS,
  RECEPTIVE_JWT_AUDIENCE,
  RECEPTIVE_JWT_ISSUER,
  RECEPTIVE_JWT_MAX_LIFETIME_S,
  RECEPTIVE_PREAMBLE,
  readLine,
} from "../../lib/common/receptive-wire";

export interface ReceptiveListenerOptions {
  /** host:port to listen on. */
  address: string;
  /** The agent's server certificate and key (PEM) that kas verifies against the CA it was given. */
  certPem: string | Buffer;
  keyPem: string | Buffer;
  /** Ed25519 public key (PEM, SPKI) whose private half signs kas's handshake JWTs. */
  jwtPublicKeyPem?: string;
  /** CA (PEM) that signs the client certificates kas presents (mTLS). */
  clientCaPem?: string | Buffer;
  log: Logger;
  /** An authenticated connection, positioned after the handshake: the tunnel runs over it. */
  onAccepted(socket: tls.TLSSocket): void;
  handshakeTimeoutMs?: number;
  now?: () => number;
  /**
   * True while a kas already holds this agent's connection: another caller that proves the key is told
   * BUSY (several kas replicas dial the same agent; one holds it, the others wait to take over).
   */
  isBusy?: () => boolean;
}

export interface ReceptiveListener {
  port: number;
  close(): Promise<void>;
}

/** Remembers each JWT id until its token expires, so a captured handshake cannot be replayed. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  /** True the first time a jti is offered while unexpired; false for a replay. */
  accept(jti: string, expiresAtMs: number): boolean {
    const now = this.now();
    for (const [id, exp] of this.seen) if (exp <= now) this.seen.delete(id);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

function describeJwtError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "the handshake token has expired";
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "the handshake token is not signed by our key";
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `the handshake token's ${e.claim} claim is wrong`;
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "the handshake token is not signed with EdDSA";
  return `the handshake token is invalid (${(e as Error).message})`;
}

export async function startReceptiveListener(opts: ReceptiveListenerOptions): Promise<ReceptiveListener> {
  if (!opts.jwtPublicKeyPem && !opts.clientCaPem)
    throw new Error("a receptive agent needs a JWT public key or a client CA to authenticate kas");
  const publicKey: KeyObject | null = opts.jwtPublicKeyPem ? createPublicKey(opts.jwtPublicKeyPem) : null;
  if (publicKey && publicKey.asymmetricKeyType !== "ed25519")
    throw new Error(`the receptive JWT public key must be Ed25519, not ${publicKey.asymmetricKeyType ?? "unknown"}`);
  const now = opts.now ?? Date.now;
  const replays = new ReplayGuard(now);
  const timeoutMs = opts.handshakeTimeoutMs ?? RECEPTIVE_HANDSHAKE_TIMEOUT_MS;
  const log = opts.log;

  async function authenticate(socket: tls.TLSSocket, line: string): Promise<string | null> {
    const [preamble, token, ...extra] = line.split(" ");
    if (preamble !== RECEPTIVE_PREAMBLE || !token || extra.length > 0) return "the caller does not speak the handshake";
    if (opts.clientCaPem && socket.authorized) return null;
    if (token === "-") {
      if (!opts.clientCaPem) return "the caller sent no handshake token";
      const cert = socket.getPeerCertificate();
      return cert && Object.keys(cert).length > 0
        ? `the client certificate was refused: ${String(socket.authorizationError)}`
        : "the caller presented no client certificate";
    }
    if (!publicKey) return "the caller sent a handshake token but this agent accepts only client certificates";
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["EdDSA"],
        issuer: RECEPTIVE_JWT_ISSUER,
        audience: RECEPTIVE_JWT_AUDIENCE,
        requiredClaims: ["iat", "exp", "jti"],
        currentDate: new Date(now()),
        clockTolerance: 5,
      });
      if (payload.exp! - payload.iat! > RECEPTIVE_JWT_MAX_LIFETIME_S)
        return `the handshake token lives longer than ${RECEPTIVE_JWT_MAX_LIFETIME_S} s`;
      if (payload.iat! * 1000 > now() + 5_000) return "the handshake token was issued in the future";
      if (!replays.accept(payload.jti!, (payload.exp! + 5) * 1000)) return "the handshake token was replayed";
      return null;
    } catch (e) {
      return describeJwtError(e);
    }
  }

  const server = tls.createServer({
    cert: opts.certPem,
    key: opts.keyPem,
    ca: opts.clientCaPem,
    // Asked for, verified by us after the handshake so that a refusal can say why.
    requestCert: Boolean(opts.clientCaPem),
    rejectUnauthorized: false,
    minVersion: "TLSv1.2",
  });
  server.on("tlsClientError", (err, socket) => {
    log.warn(
      { remote: socket.remoteAddress, reason: `TLS handshake failed: ${err.message}` },
      "receptive connection refused",
    );
  });
  // Connections still in their handshake; close() ends them (accepted ones belong to onAccepted).
  const handshaking = new Set<tls.TLSSocket>();
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    handshaking.add(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on("error", () => undefined);
    readLine(socket, timeoutMs)
      .then((line) => authenticate(socket, line))
      .catch((e: Error) => `handshake failed: ${e.message}`)
      .then((reason) => {
        handshaking.delete(socket);
        if (reason) {
          log.warn({ remote, reason }, "receptive connection refused");
          socket.end(`ERR ${reason}\n`);
          setTimeout(() => socket.destroy(), 1_000).unref();
          return;
        }
        if (opts.isBusy?.()) {
          log.info({ remote }, "receptive connection declined: another kas holds this agent's connection");
          socket.end("BUSY another kas holds this agent's connection\n");
          setTimeout(() => socket.destroy(), 1_000).unref();
          return;
        }
        socket.write("OK\n");
        log.info(
          { remote, via: opts.clientCaPem && socket.authorized ? "mtls" : "jwt" },
          "receptive connection accepted",
        );
        opts.onAccepted(socket);
      });
  });
  const [host, portText] = [opts.address.slice(0, opts.address.lastIndexOf(":")), opts.address.split(":").pop()];
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(portText), host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of handshaking) s.destroy();
      }),
  };
}
