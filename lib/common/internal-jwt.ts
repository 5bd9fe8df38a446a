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

export class InternalAuthError extends Error {}

/** Checks signature, issuer, audience, expiry and issue time (with a small clock-skew allowance). */
export async function verifyInternalJwt(
  secret: string,
  jwt: string,
  from: InternalParty,
  to: InternalParty,
): Promise<void> {
  try {
    await jwtVerify(jwt, key(secret), {
      issuer: from,
      audience: to,
      algorithms: ["HS256"],
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: `${EXPIRY_SECONDS + CLOCK_SKEW_SECONDS}s`,
      requiredClaims: ["iat", "exp"],
    });
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
