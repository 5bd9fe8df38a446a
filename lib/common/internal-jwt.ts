// Short-lived JWTs (HS256, shared secret) between web and kas, in both directions. Each direction has
// its own issuer and audience, so a token minted for one can never be replayed against the other.
import fs from "node:fs";
import { SignJWT, jwtVerify, errors } from "jose";

/** "tether-kas-peer": kas-to-kas calls, signed with the secret only kas replicas share (kas/routing). */
export type InternalParty = "tether-web" | "tether-kas" | "tether-kas-peer";

const EXPIRY_SECONDS = 60;
const CLOCK_SKEW_SECONDS = 10;

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signInternalJwt(secret: string, from: InternalParty, to: InternalParty): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(from)
    .setAudience(to)
    .setIssuedAt()
    .setExpirationTime(`${EXPIRY_SECONDS}s`)
    .sign(key(secret));
}

/** A caller reuses its token this long (half its lifetime), so it is always at least 30 s from expiring. */
const REUSE_MS = (EXPIRY_SECONDS / 2) * 1000;
const minted = new Map<string, { jwt: Promise<string>; renewAt: number }>();

/**
 * A token for calls from `from` to `to`, signed afresh every 30 s and reused in between. A kas serving a
 * thousand agents calls web hundreds of times a second; signing each call (HMAC through WebCrypto, a
 * thread-pool round trip) cost more than the call. A reused token lives no longer than a fresh one.
 */
export function internalJwt(secret: string, from: InternalParty, to: InternalParty): Promise<string> {
  const k = `${from}|${to}|${secret}`;
  const now = Date.now();
  const m = minted.get(k);
  if (m && now < m.renewAt) return m.jwt;
  const jwt = signInternalJwt(secret, from, to);
  minted.set(k, { jwt, renewAt: now + REUSE_MS });
  jwt.catch(() => minted.delete(k));
  return jwt;
}

export class InternalAuthError extends Error {}

/** Tokens that passed verification, until they expire: a reused token (internalJwt) is checked once, not per call. */
const verified = new Map<string, { secret: string; until: number }>();
const MAX_VERIFIED = 1_000;

/** Checks signature, issuer, audience, expiry and issue time (with a small clock-skew allowance). */
export async function verifyInternalJwt(
  secret: string,
  jwt: string,
  from: InternalParty,
  to: InternalParty,
): Promise<void> {
  const k = `${from}|${to}|${jwt}`;
  const seen = verified.get(k);
  if (seen && seen.secret === secret && Date.now() < seen.until) return;
  try {
    const { payload } = await jwtVerify(jwt, key(secret), {
      issuer: from,
      audience: to,
      algorithms: ["HS256"],
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: `${EXPIRY_SECONDS + CLOCK_SKEW_SECONDS}s`,
      requiredClaims: ["iat", "exp"],
    });
    // Valid until its expiry and its maximum age, whichever comes first (both without the skew allowance).
    const until = Math.min(payload.exp! * 1000, (payload.iat! + EXPIRY_SECONDS) * 1000);
    if (verified.size >= MAX_VERIFIED) verified.clear();
    verified.set(k, { secret, until });
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new InternalAuthError("internal API token expired");
    if (e instanceof errors.JOSEError) throw new InternalAuthError(`internal API token rejected: ${e.code}`);
    throw e;
  }
}

/** Reads the shared secret from a file; refuses an empty or short one. */
export function readSharedSecret(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch (e) {
    throw new Error(`cannot read the kas shared secret from ${file}: ${(e as Error).message}`);
  }
  if (text.length < 32) throw new Error(`the kas shared secret in ${file} is too short (need at least 32 characters)`);
  return text;
}
