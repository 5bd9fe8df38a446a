// Signing in with e-mail and password, throttled (./sign-in-throttle): a locked account or address is
// refused before any password is hashed, an unknown e-mail and a wrong password get the same answer after
// the same work, and every lock imposed is written to the audit log.
import type { Db, User } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/audit";
import { logger } from "@/lib/log/logger";
import { PasswordHashingBusy } from "./password";
import { SignInThrottle, type ImposedLock, type ThrottleKey } from "./sign-in-throttle";
import { checkCredentials, normalizeEmail } from "./users";

export type PasswordSignIn =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAt: Date }
  | { ok: false; reason: "busy" }
  | { ok: false; reason: "blocked" }
  | { ok: false; reason: "pending" };

export interface PasswordSignInInput {
  email: string;
  password: string;
  /** The client's IP address, when known. */
  address?: string;
}

export async function signInWithPassword(
  db: Db,
  throttle: SignInThrottle,
  input: PasswordSignInInput,
): Promise<PasswordSignIn> {
  const email = normalizeEmail(input.email);
  const account: ThrottleKey = { scope: "account", value: email };
  const keys: ThrottleKey[] = input.address ? [account, { scope: "address", value: input.address }] : [account];

  const lockedUntil = await throttle.lockedUntil(keys);
  if (lockedUntil) return { ok: false, reason: "locked", retryAt: lockedUntil };

  let user: User | null;
  try {
    user = await checkCredentials(db, email, input.password);
  } catch (e) {
    if (e instanceof PasswordHashingBusy) return { ok: false, reason: "busy" };
    throw e;
  }
  if (user) {
    await throttle.recordSuccess(account);
    // Said only to someone who knows the password: a blocked account stays out, and is told why.
    if (user.blockedAt) return { ok: false, reason: "blocked" };
    if (user.pendingApproval) return { ok: false, reason: "pending" };
    const signedIn = await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    return { ok: true, user: signedIn };
  }

  const locks = await throttle.recordFailure(keys);
  logger.info({ event: "sign_in_failed", locked: locks.length > 0 }, "sign-in failed: wrong e-mail or password");
  if (locks.length === 0) return { ok: false, reason: "invalid" };
  await auditLocks(db, locks, email, input.address);
  return { ok: false, reason: "locked", retryAt: locks[0]!.until };
}

/** One audit line per lock imposed: on the user when the e-mail is an account's, else on the e-mail or address typed. */
export async function auditLocks(
  db: Db,
  locks: readonly ImposedLock[],
  email: string,
  address?: string,
): Promise<void> {
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  for (const lock of locks) {
    const target =
      lock.key.scope === "address"
        ? { targetType: "address", targetId: lock.key.value }
        : existing
          ? { targetType: "user", targetId: existing.id }
          : { targetType: "email", targetId: email };
    await recordAudit(db, {
      actorId: null,
      action: "user.sign_in_locked",
      ...target,
      details: { scope: lock.key.scope, failures: lock.failures, lockedUntil: lock.until.toISOString() },
      ip: address,
    });
  }
}

/** The client's address: the entry the nearest proxy appended to X-Forwarded-For (Next.js sets it to the socket's address when there is no proxy). */
export function clientAddress(
  headers: Record<string, string | string[] | undefined> | Headers | undefined,
): string | undefined {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers?.["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  const last = value
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return last && last.length <= 64 ? last : undefined;
}
