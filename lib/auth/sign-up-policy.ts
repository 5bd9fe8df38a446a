// Who may create an account, as an administrator sets it on the admin page: anyone (open), only e-mail
// addresses at listed domains, anyone but an administrator approves each new account before it can sign
// in, or nobody (closed). A single-use invite link that has not expired lets one person in whatever the
// mode; invites are stored as SHA-256 only and shown once. The installation's first account is always
// accepted and becomes its administrator.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { invalidFrom, NotFound } from "@/lib/errors";
import { hashToken, looksLikeToken, newToken } from "@/lib/tokens/tokens";
import type { CurrentUser } from "./session";

export const SIGN_UP_MODES = ["open", "domains", "approval", "closed"] as const;
export type SignUpMode = (typeof SIGN_UP_MODES)[number];
export const INVITE_TOKEN_PREFIX = "tthr_invite_";
const SETTING_KEY = "sign_up";

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Enter domains like example.com");

export const signUpPolicySchema = z
  .object({
    mode: z.enum(SIGN_UP_MODES, { error: `Sign-up mode must be one of: ${SIGN_UP_MODES.join(", ")}` }),
    domains: z.array(domain).max(50, "At most 50 domains").default([]),
  })
  .strict()
  .refine((p) => p.mode !== "domains" || p.domains.length > 0, {
    message: "Name at least one e-mail domain",
    path: ["domains"],
  })
  .transform((p) => ({ mode: p.mode, domains: p.mode === "domains" ? [...new Set(p.domains)] : [] }));

export type SignUpPolicy = z.output<typeof signUpPolicySchema>;
export const DEFAULT_SIGN_UP_POLICY: SignUpPolicy = { mode: "open", domains: [] };

type Reader = Pick<Db, "instanceSetting">;

/** The policy in force (open until an administrator changes it). */
export async function signUpPolicy(db: Reader): Promise<SignUpPolicy> {
  const row = await db.instanceSetting.findUnique({ where: { key: SETTING_KEY } });
  if (!row) return DEFAULT_SIGN_UP_POLICY;
  const parsed = signUpPolicySchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : DEFAULT_SIGN_UP_POLICY;
}

export async function setSignUpPolicy(db: Db, actor: CurrentUser, input: unknown, ip?: string): Promise<SignUpPolicy> {
  if (!actor.isAdmin) throw new NotFound("Setting");
  const parsed = signUpPolicySchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const value = JSON.stringify(parsed.data);
  await db.$transaction(async (tx) => {
    await tx.instanceSetting.upsert({
      where: { key: SETTING_KEY },
      create: { key: SETTING_KEY, value },
      update: { value },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "instance.sign_up_policy_changed",
      targetType: "instance",
      targetId: SETTING_KEY,
      details: { mode: parsed.data.mode, domains: parsed.data.domains.join(", ") },
      ip,
    });
  });
  return parsed.data;
}

export const createInviteSchema = z
  .object({
    expiresInDays: z
      .number({ error: "expiresInDays must be a number of days" })
      .int("expiresInDays must be a whole number of days")
      .min(1, "An invite lives at least one day")
      .max(30, "An invite lives at most 30 days")
      .default(7),
  })
  .strict();

/** A new invite: the token is returned once; only its hash is stored. */
export async function createInvite(
  db: Db,
  actor: CurrentUser,
  input: unknown,
  ip?: string,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  if (!actor.isAdmin) throw new NotFound("Setting");
  const parsed = createInviteSchema.safeParse(input ?? {});
  if (!parsed.success) throw invalidFrom(parsed.error);
  const token = newToken(INVITE_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + parsed.data.expiresInDays * 86_400_000);
  const row = await db.$transaction(async (tx) => {
    const r = await tx.signUpInvite.create({ data: { tokenHash: hashToken(token), createdById: actor.id, expiresAt } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "instance.invite_created",
      targetType: "instance",
      targetId: "invite",
      details: { inviteId: r.id, expiresAt: expiresAt.toISOString() },
      ip,
    });
    return r;
  });
  return { id: row.id, token, expiresAt };
}

/** Invites not used and not expired, newest first. */
export function openInvites(db: Db) {
  return db.signUpInvite.findMany({
    where: { usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, expiresAt: true },
  });
}

export type SignUpDecision =
  | { allowed: true; pendingApproval: boolean; inviteId: string | null }
  | { allowed: false; status: 403; error: string; field?: string };

type Tx = Pick<Db, "instanceSetting" | "signUpInvite">;

/**
 * May this e-mail sign up now? Called inside the sign-up transaction; a valid invite is consumed here
 * (single use even when two sign-ups race: only one update finds it unused).
 */
export async function decideSignUp(tx: Tx, email: string, invite: string | undefined): Promise<SignUpDecision> {
  if (invite) {
    const refused = {
      allowed: false,
      status: 403,
      error: "This invite link is not valid: it was already used, has expired, or was mistyped. Ask for a new one.",
    } as const;
    if (!looksLikeToken(invite, INVITE_TOKEN_PREFIX)) return refused;
    const now = new Date();
    const row = await tx.signUpInvite.findUnique({ where: { tokenHash: hashToken(invite) } });
    if (!row || row.usedAt || row.expiresAt <= now) return refused;
    const taken = await tx.signUpInvite.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (taken.count === 0) return refused;
    return { allowed: true, pendingApproval: false, inviteId: row.id };
  }
  const policy = await signUpPolicy(tx);
  switch (policy.mode) {
    case "open":
      return { allowed: true, pendingApproval: false, inviteId: null };
    case "approval":
      return { allowed: true, pendingApproval: true, inviteId: null };
    case "closed":
      return {
        allowed: false,
        status: 403,
        error: "Sign-up is closed on this installation. Ask an administrator for an invite link.",
      };
    case "domains": {
      const at = email.slice(email.lastIndexOf("@") + 1);
      if (policy.domains.includes(at)) return { allowed: true, pendingApproval: false, inviteId: null };
      return {
        allowed: false,
        status: 403,
        error: `Sign-up is limited to e-mail addresses at ${policy.domains.join(", ")}. Ask an administrator for an invite link.`,
        field: "email",
      };
    }
  }
}
