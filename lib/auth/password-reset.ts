// Password reset by e-mail, when the installation can send e-mail (TETHER_SMTP_URL). Asking for a link
// gets the same answer whatever the e-mail (an account with a password, one without, none at all) and the
// mail goes out after the answer; asking is limited per account and per client address in the shared
// limit store (the database, or Redis); the link's token is kept as SHA-256, works once, within an hour.
// Setting the new password ends every session of the user, voids their other links, and is audited.
import type { Redis } from "ioredis";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Invalid, invalidFrom } from "@/lib/errors";
import { logger } from "@/lib/log/logger";
import { hashToken, looksLikeToken, newToken } from "@/lib/tokens/tokens";
import { hashPassword } from "./password";
import { endUserStreams } from "./session-watch";
import { limitsRedis, sharedLimiter, storedKey } from "./sign-in-throttle";
import { newPasswordSchema, normalizeEmail } from "./users";

const log = logger.child({ capability: "password-reset" });

export const RESET_TOKEN_PREFIX = "tthr_reset_";
export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;
/** Links a client may ask for in an hour: per account (the e-mail typed) and per client address. */
export const RESET_REQUEST_LIMITS = { account: 3, address: 10 } as const;

export const RESET_REQUESTED =
  "If an account with this e-mail address has a password here, a link to set a new one is on its way. It works once, within an hour.";
export const RESET_LINK_INVALID =
  "This reset link no longer works (it was used, it expired, or it was copied incompletely). Ask for a new one.";

export const resetRequestSchema = z.object({
  email: z
    .string({ error: "Enter the e-mail address of your account" })
    .trim()
    .max(254, "E-mail address is too long")
    .pipe(z.email({ error: "Enter the e-mail address of your account" })),
});

export const resetCompleteSchema = z.object({
  token: z.string().max(200, RESET_LINK_INVALID),
  newPassword: newPasswordSchema,
});

export interface ResetMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one e-mail; rejects when the SMTP server refuses it or cannot be reached. */
export type Mailer = (mail: ResetMail) => Promise<void>;

export interface ResetLimits {
  account: RateLimiterAbstract;
  address: RateLimiterAbstract;
}

/** The limits on asking, shared by every web replica (the same store as sign-in throttling). */
export function resetLimits(db: Db, redis?: Redis): ResetLimits {
  const hour = RESET_LINK_LIFETIME_MS / 1000;
  return {
    account: sharedLimiter(db, redis, {
      keyPrefix: "reset-account",
      points: RESET_REQUEST_LIMITS.account,
      duration: hour,
    }),
    address: sharedLimiter(db, redis, {
      keyPrefix: "reset-address",
      points: RESET_REQUEST_LIMITS.address,
      duration: hour,
    }),
  };
}

const processLimits = new WeakMap<Db, ResetLimits>();

/** The process's limits for this database (in Redis when TETHER_REDIS_URL is set; their timers are made once). */
export function resetLimitsFor(db: Db): ResetLimits {
  let l = processLimits.get(db);
  if (!l) processLimits.set(db, (l = resetLimits(db, limitsRedis())));
  return l;
}

async function withinLimit(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    if (e instanceof Error) throw e;
    return false; // a RateLimiterRes: over the limit
  }
}

export interface ResetRequestOptions {
  mailer: Mailer;
  limits: ResetLimits;
  /** The web address people reach Tether at (the link in the mail points there). */
  publicUrl: string;
  ip?: string;
}

/**
 * Asks for a reset link for `input.email`. Resolves with the same nothing for every e-mail; `delivery`
 * settles when the mail (if any) was handed to the SMTP server or failed (logged), for tests to wait on.
 */
export async function requestPasswordReset(
  db: Db,
  input: unknown,
  o: ResetRequestOptions,
): Promise<{ delivery: Promise<void> }> {
  const parsed = resetRequestSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const email = normalizeEmail(parsed.data.email);
  const none = { delivery: Promise.resolve() };

  const accountOk = await withinLimit(o.limits.account, storedKey({ scope: "account", value: email }));
  const addressOk = o.ip ? await withinLimit(o.limits.address, o.ip) : true;
  if (!accountOk || !addressOk) {
    log.info(
      { event: "password_reset_throttled", scope: accountOk ? "address" : "account" },
      "reset request over its limit",
    );
    return none;
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, passwordHash: true, blockedAt: true },
  });
  // Single sign-on accounts have no password to reset; blocked accounts stay out.
  if (!user?.passwordHash || user.blockedAt) return none;

  const token = newToken(RESET_TOKEN_PREFIX);
  await db.$transaction(async (tx) => {
    await tx.passwordReset.create({
      data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + RESET_LINK_LIFETIME_MS) },
    });
    await recordAudit(tx, {
      actorId: null,
      action: "user.password_reset_requested",
      targetType: "user",
      targetId: user.id,
      ip: o.ip,
    });
  });
  const link = `${o.publicUrl.replace(/\/$/, "")}/reset-password?token=${token}`;
  const delivery = o
    .mailer({
      to: user.email,
      subject: "Set a new Tether password",
      text: [
        `Someone (you, we hope) asked to set a new password for the Tether account ${user.email} at ${o.publicUrl}.`,
        "",
        "Open this link within an hour to choose a new password. It works once:",
        link,
        "",
        "Setting a new password signs you out of every browser and device.",
        "If you did not ask for this, ignore this e-mail: your password stays as it is.",
      ].join("\n"),
    })
    .then(
      () => log.info({ event: "password_reset_mailed", userId: user.id }, "password reset link sent"),
      (e: unknown) =>
        log.warn(
          { event: "password_reset_mail_failed", userId: user.id, err: e instanceof Error ? e.message : String(e) },
          "could not send the password reset e-mail",
        ),
    );
  return { delivery };
}

/** Sets the new password from a reset link; ends every session of the user. Throws Invalid naming the field. */
export async function completePasswordReset(db: Db, input: unknown, ip?: string): Promise<void> {
  const parsed = resetCompleteSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { token, newPassword } = parsed.data;
  if (!looksLikeToken(token, RESET_TOKEN_PREFIX)) throw new Invalid(RESET_LINK_INVALID, "token");
  const tokenHash = hashToken(token);
  const open = await db.passwordReset.findUnique({ where: { tokenHash } });
  if (!open || open.usedAt || open.expiresAt <= new Date()) throw new Invalid(RESET_LINK_INVALID, "token");
  const passwordHash = await hashPassword(newPassword);

  const userId = await db.$transaction(async (tx) => {
    // Taken once, even by two tabs submitting together.
    const taken = await tx.passwordReset.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (taken.count === 0) throw new Invalid(RESET_LINK_INVALID, "token");
    const user = await tx.user.findUnique({ where: { id: open.userId }, select: { id: true, blockedAt: true } });
    if (!user || user.blockedAt) throw new Invalid(RESET_LINK_INVALID, "token");
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    // The user's other links die with this one.
    await tx.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } });
    await recordAudit(tx, {
      actorId: user.id,
      action: "user.password_reset",
      targetType: "user",
      targetId: user.id,
      ip,
    });
    return user.id;
  });
  endUserStreams(userId);
}
