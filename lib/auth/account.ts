// Ending sessions and changing passwords. Sessions are signed cookies that carry the user's session
// version from when they were issued; lib/auth/session.ts refuses a cookie whose version is older than the
// user's, so raising the version ends every session of that user at once, on every web replica.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Invalid, invalidFrom, NotFound } from "@/lib/errors";
import { hashPassword, verifyPassword } from "./password";
import { auditLocks } from "./sign-in";
import { lockedErrorCode, signInErrorMessage } from "./sign-in-errors";
import { signInThrottle, type ThrottleKey } from "./sign-in-throttle";
import type { CurrentUser } from "./session";
import { endUserStreams } from "./session-watch";
import { newPasswordSchema } from "./users";

/** Do the cookie's and the database's session versions agree? Cookies from before versions existed count as 0. */
export function sessionIsCurrent(cookieVersion: number | undefined, userVersion: number): boolean {
  return (cookieVersion ?? 0) === userVersion;
}

/** Ends every session of `userId`: the user's own "sign out everywhere", or an administrator's "revoke sessions". */
export async function revokeSessions(db: Db, actor: CurrentUser, userId: string, ip?: string): Promise<void> {
  if (actor.id !== userId && !actor.isAdmin) throw new NotFound("User");
  await db.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    if (updated.count === 0) throw new NotFound("User");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.sessions_revoked",
      targetType: "user",
      targetId: userId,
      details: { by: actor.id === userId ? "self" : "administrator" },
      ip,
    });
  });
  endUserStreams(userId);
}

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(256, "Password is too long"),
  newPassword: newPasswordSchema,
});

/**
 * The user's own change: the current password is required, and wrong guesses count against the account
 * like failed sign-ins (a stolen session must not become a way to guess the password). Every other
 * session ends; the caller signs this browser in again.
 */
export async function changePassword(db: Db, actor: CurrentUser, input: unknown, ip?: string): Promise<void> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const row = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true, email: true } });
  if (!row) throw new NotFound("User");
  if (!row.passwordHash)
    throw new Invalid("Your account signs in with single sign-on and has no password here", "currentPassword");
  const throttle = signInThrottle(db);
  const account: ThrottleKey = { scope: "account", value: row.email };
  const locked = await throttle.lockedUntil([account]);
  if (locked) throw new Invalid(signInErrorMessage(lockedErrorCode(locked)), "currentPassword");
  if (!(await verifyPassword(row.passwordHash, parsed.data.currentPassword))) {
    const [lock] = await throttle.recordFailure([account]);
    if (lock) await auditLocks(db, [lock], row.email, ip);
    throw new Invalid(
      lock ? signInErrorMessage(lockedErrorCode(lock.until)) : "Your current password is not right",
      "currentPassword",
    );
  }
  if (parsed.data.newPassword === parsed.data.currentPassword)
    throw new Invalid("Choose a password different from the current one", "newPassword");
  await storePassword(db, actor, actor.id, await hashPassword(parsed.data.newPassword), "user.password_changed", ip);
}

export const setPasswordSchema = z.object({ newPassword: newPasswordSchema });

/** An administrator sets a user's password (the way back in when the installation cannot send e-mail); the user's sessions end. */
export async function setPasswordAsAdmin(
  db: Db,
  actor: CurrentUser,
  userId: string,
  input: unknown,
  ip?: string,
): Promise<void> {
  if (!actor.isAdmin) throw new NotFound("User");
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const target = await db.user.findUnique({ where: { id: userId }, select: { botProjectId: true } });
  if (!target) throw new NotFound("User");
  // A project access token's bot never signs in: it has no password to set.
  if (target.botProjectId) throw new Invalid("A project access token's bot has no password");
  await storePassword(db, actor, userId, await hashPassword(parsed.data.newPassword), "user.password_set", ip);
}

async function storePassword(
  db: Db,
  actor: CurrentUser,
  userId: string,
  passwordHash: string,
  action: string,
  ip?: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(tx, { actorId: actor.id, action, targetType: "user", targetId: userId, ip });
  });
  endUserStreams(userId);
}

/** Password reset by e-mail needs an SMTP server; without one, an administrator sets a new password. */
export function smtpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.TETHER_SMTP_URL);
}
