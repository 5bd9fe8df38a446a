// kas's side of the receptive handshake: dial the agent's URL, verify its certificate, prove the key
// (a fresh handshake JWT) or present the client certificate, and read the agent's answer. Every failure
// is a ReceptiveDialError whose message is the one the agent page shows.
import { randomUUID } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { importPKCS8, SignJWT } from "jose";
import {
  RECEPTIVE_HANDSHAKE_TIMEOUT_MS,
  RECEPTIVE_JWT_AUDIENCE,
  RECEPTIVE_JWT_ISSUER,
  RECEPTIVE_JWT_LIFETIME_S,
  RECEPTIVE_PREAMBLE,
  readLine,
} from "../../lib/common/receptive-wire";

export type ReceptiveAuth =
  { method: "jwt"; privateKeyPem: string } | { method: "mtls"; clientCertPem: string; clientKeyPem: string };

export interface ReceptiveTarget {
  /** grpcs://host:port (TLS) or grpc://host:port (plain; the page warns). */
  url: string;
  /** CA that signs the agent's certificate (PEM); the system's roots when absent. */
  caCertPem?: string | null;
  /** The name the agent's certificate must carry; the URL's host when absent. */
  tlsServerName?: string | null;
  auth: ReceptiveAuth;
}

/** `busy`: the agent is held by another kas (a replica); not a failure to show, a reason to wait. */
export type ReceptiveFailure = "unreachable" | "tls" | "refused" | "protocol" | "busy";

export class ReceptiveDialError extends Error {
  constructor(
    readonly kind: ReceptiveFailure,
    message: string,
  ) {
    super(message);
  }
}

const UNKNOWN_AUTHORITY = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_SIGNATURE_FAILURE",
]);

export function parseReceptiveUrl(url: string): { tls: boolean; host: string; port: number } {
  const m = /^(grpcs?):\/\/(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$/.exec(url);
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535)
    throw new ReceptiveDialError("protocol", `not a receptive agent URL: ${url} (expected grpcs://host:port)`);
  return { tls: m[1] === "grpcs", host: m[2]!.replace(/^\[|\]$/g, ""), port: Number(m[3]) };
}

function describeSocketError(url: string, e: NodeJS.ErrnoException): ReceptiveDialError {
  const code = e.code ?? "";
  if (UNKNOWN_AUTHORITY.has(code)) return new ReceptiveDialError("tls", "certificate signed by unknown authority");
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID")
    return new ReceptiveDialError("tls", `certificate is not valid for this name: ${e.message}`);
  if (code === "CERT_HAS_EXPIRED") return new ReceptiveDialError("tls", "the agent's certificate has expired");
  if (code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS") || /SSL|TLS/.test(e.message))
    return new ReceptiveDialError("tls", `TLS handshake with ${url} failed: ${e.message}`);
  const what = e.syscall && code ? `${e.syscall} ${code}` : e.message;
  return new ReceptiveDialError("unreachable", `kas cannot reach ${url}: ${what}`);
}

async function handshakeToken(privateKeyPem: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, "EdDSA");
  return new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA" })
    .setIssuer(RECEPTIVE_JWT_ISSUER)
    .setAudience(RECEPTIVE_JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${RECEPTIVE_JWT_LIFETIME_S}s`)
    .setJti(randomUUID())
    .sign(key);
}

/**
 * Dials and authenticates; resolves with the connection positioned for the tunnel's HTTP/2 bytes (the
 * agent speaks first, as a gRPC client). `signal` aborts a dial in progress.
 */
export async function dialReceptiveAgent(
  target: ReceptiveTarget,
  { timeoutMs = RECEPTIVE_HANDSHAKE_TIMEOUT_MS, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<net.Socket> {
  const { tls: useTls, host, port } = parseReceptiveUrl(target.url);
  if (!useTls && target.auth.method === "mtls") throw new ReceptiveDialError("protocol", "mTLS needs a grpcs:// URL");
  const token = target.auth.method === "jwt" ? await handshakeToken(target.auth.privateKeyPem) : "-";
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    let settled = false;
    const onError = (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      clearTimeout(timer);
      s.destroy();
      reject(describeSocketError(target.url, e));
    };
    const timer = setTimeout(
      () => onError(Object.assign(new Error(`connect timed out after ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      timeoutMs,
    );
    const onAbort = () => onError(Object.assign(new Error("dial cancelled"), { code: "ABORT_ERR" }));
    const ready = () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      clearTimeout(timer);
      s.off("error", onError);
      resolve(s);
    };
    const s: net.Socket = useTls
      ? tls.connect(
          {
            host,
            port,
            servername: target.tlsServerName || (net.isIP(host) ? undefined : host),
            ca: target.caCertPem || undefined,
            cert: target.auth.method === "mtls" ? target.auth.clientCertPem : undefined,
            key: target.auth.method === "mtls" ? target.auth.clientKeyPem : undefined,
            minVersion: "TLSv1.2",
            checkServerIdentity: (hostname, cert) => tls.checkServerIdentity(target.tlsServerName || hostname, cert),
          },
          ready,
        )
      : net.connect({ host, port }, ready);
    s.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  socket.write(`${RECEPTIVE_PREAMBLE} ${token}\n`);
  let answer: string;
  try {
    answer = await readLine(socket, timeoutMs);
  } catch (e) {
    socket.destroy();
    const m = (e as Error).message;
    throw new ReceptiveDialError(
      "refused",
      /closed/.test(m) ? "the agent closed the connection during the handshake" : `handshake failed: ${m}`,
    );
  }
  // Left paused: whoever pipes it on reads the agent's first HTTP/2 bytes, none are lost.
  if (answer === "OK") return socket;
  socket.destroy();
  if (answer.startsWith("BUSY ")) throw new ReceptiveDialError("busy", `the agent is busy: ${answer.slice(5)}`);
  if (answer.startsWith("ERR "))
    throw new ReceptiveDialError(
      "refused",
      `agent refused our ${target.auth.method === "jwt" ? "key" : "client certificate"}: ${answer.slice(4)}`,
    );
  throw new ReceptiveDialError("protocol", `the agent at ${target.url} does not speak the receptive handshake`);
}
