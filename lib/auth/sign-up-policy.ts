// Who may create an account, as an administrator sets it on the admin page: anyone (open), only e-mail
// addresses at listed domains, anyone but an administrator approves each new account before it can sign
// in, or nobody (closed). A single-use invite link that has not expired lets one person in whatever the
// mode; invites are stored as SHA-256 only and shown once. The installation's first account is always
// accepted and becomes its administrator.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Conflict, invalidFrom, NotFound } from "@/lib/errors";
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

/** Invites not used, not revoked and not expired, newest first. */
export function openInvites(db: Db) {
  return db.signUpInvite.findMany({
    where: { usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, expiresAt: true },
  });
}

export type InviteState = "open" | "used" | "expired" | "revoked";

/** An invite as the admin page lists it (never the link: only its hash is kept). */
export interface InviteRow {
  id: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
  state: InviteState;
  /** When it was used or revoked, and by whom (the new account, or the administrator). */
  closedAt: string | null;
  closedBy: string | null;
}

/** How many invites the admin page lists: the newest, open or not. */
export const INVITE_LIST_LIMIT = 50;

function inviteState(row: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InviteState {
  if (row.usedAt) return "used";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "open";
}

/** The newest invites, open first, with who made them and what became of them (administrators only). */
export async function listInvites(db: Db, actor: CurrentUser): Promise<InviteRow[]> {
  if (!actor.isAdmin) throw new NotFound("Setting");
  const rows = await db.signUpInvite.findMany({ orderBy: { createdAt: "desc" }, take: INVITE_LIST_LIMIT });
  const ids = [...new Set(rows.flatMap((r) => [r.createdById, r.usedById, r.revokedById]).filter((x) => x !== null))];
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
  const name = (id: string | null) => (id ? (users.find((u) => u.id === id)?.username ?? "a deleted user") : null);
  const now = new Date();
  const out = rows.map((r): InviteRow => {
    const state = inviteState(r, now);
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      createdBy: name(r.createdById),
      expiresAt: r.expiresAt.toISOString(),
      state,
      closedAt: (state === "used" ? r.usedAt : state === "revoked" ? r.revokedAt : null)?.toISOString() ?? null,
      closedBy: state === "used" ? name(r.usedById) : state === "revoked" ? name(r.revokedById) : null,
    };
  });
  return [...out.filter((r) => r.state === "open"), ...out.filter((r) => r.state !== "open")];
}

/** Revokes an invite that was not used yet (administrators only, audited); its link is refused from now on. */
export async function revokeInvite(db: Db, actor: CurrentUser, inviteId: string, ip?: string): Promise<void> {
  if (!actor.isAdmin) throw new NotFound("Setting");
  await db.$transaction(async (tx) => {
    const row = await tx.signUpInvite.findUnique({ where: { id: inviteId } });
    if (!row) throw new NotFound("Invite");
    if (row.usedAt) throw new Conflict("This invite was already used: block or remove the account it made instead");
    if (row.revokedAt) throw new Conflict("This invite is already revoked");
    const done = await tx.signUpInvite.updateMany({
      where: { id: inviteId, usedAt: null, revokedAt: null },
      data: { revokedAt: new Date(), revokedById: actor.id },
    });
    if (done.count === 0) throw new Conflict("This invite was used or revoked a moment ago");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "instance.invite_revoked",
      targetType: "instance",
      targetId: "invite",
      details: { inviteId, expiresAt: row.expiresAt.toISOString() },
      ip,
    });
  });
}

/** Why an invite link would be refused now, in words for the person holding it; null if it is valid. */
export async function inviteProblem(db: Pick<Db, "signUpInvite">, invite: string): Promise<string | null> {
  if (!looksLikeToken(invite, INVITE_TOKEN_PREFIX)) return INVITE_UNKNOWN;
  const row = await db.signUpInvite.findUnique({ where: { tokenHash: hashToken(invite) } });
  if (!row) return INVITE_UNKNOWN;
  switch (inviteState(row, new Date())) {
    case "open":
      return null;
    case "used":
      return "This invite link was already used: each link creates one account. Ask an administrator for a new one.";
    case "revoked":
      return "This invite link was revoked by an administrator. Ask an administrator for a new one.";
    case "expired":
      return `This invite link expired on ${row.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Ask an administrator for a new one.`;
  }
}

const INVITE_UNKNOWN =
  "This invite link is not valid: it may be mistyped or cut short. Check the link, or ask an administrator for a new one.";

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
    const refused = (error: string) => ({ allowed: false, status: 403, error }) as const;
    const problem = await inviteProblem(tx, invite);
    if (problem) return refused(problem);
    const now = new Date();
    const row = await tx.signUpInvite.findUniqueOrThrow({ where: { tokenHash: hashToken(invite) } });
    const taken = await tx.signUpInvite.updateMany({
      where: { id: row.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (taken.count === 0) return refused((await inviteProblem(tx, invite)) ?? INVITE_UNKNOWN);
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
