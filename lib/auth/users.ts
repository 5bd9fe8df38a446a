// Sign-up and credential checks. Input is validated here, at the boundary, with zod; every failure has
// a specific message and writes nothing.
import { randomBytes } from "node:crypto";
import { isUniqueViolation, type Db, type User } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/audit";
import { invalidFrom } from "@/lib/errors";
import { hashPassword, PasswordHashingBusy, verifyPassword } from "./password";
import { decideSignUp, type SignUpDecision } from "./sign-up-policy";
import { signUpFieldErrors, signUpSchema } from "./sign-up-schema";

export {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  newPasswordSchema,
  signUpFieldErrors,
  signUpSchema,
  type SignUpInput,
} from "./sign-up-schema";

export type SignUpResult =
  | { ok: true; user: Pick<User, "id" | "email" | "username" | "name" | "isAdmin" | "pendingApproval"> }
  | {
      ok: false;
      status: 400 | 403 | 409 | 503;
      /** The first problem (what older clients show). */
      error: string;
      field?: string;
      /** An invalid request: every field found wrong, each with its problem. */
      fields?: Record<string, string>;
    };

export async function signUp(db: Db, input: unknown, ip?: string): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const invalid = invalidFrom(parsed.error, { fallback: "Invalid sign-up request" });
    return {
      ok: false,
      status: 400,
      error: invalid.message,
      field: invalid.field,
      fields: signUpFieldErrors(parsed.error),
    };
  }
  const { name, username, email, password, invite } = parsed.data;
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(password);
  } catch (e) {
    if (e instanceof PasswordHashingBusy) return { ok: false, status: 503, error: e.message };
    throw e;
  }
  try {
    const user = await db.$transaction(async (tx) => {
      // The first account on a fresh installation administers it, whatever the sign-up policy says.
      const isAdmin = (await tx.user.count()) === 0;
      const decision: SignUpDecision = isAdmin
        ? { allowed: true, pendingApproval: false, inviteId: null }
        : await decideSignUp(tx, email, invite);
      if (!decision.allowed) throw new SignUpRefused(decision.error, decision.field);
      const created = await tx.user.create({
        data: { name, username, email, passwordHash, isAdmin, pendingApproval: decision.pendingApproval },
      });
      if (decision.inviteId)
        await tx.signUpInvite.update({ where: { id: decision.inviteId }, data: { usedById: created.id } });
      await recordAudit(tx, {
        actorId: created.id,
        action: "user.sign_up",
        targetType: "user",
        targetId: created.id,
        details: decision.inviteId
          ? { invite: decision.inviteId }
          : decision.pendingApproval
            ? { pendingApproval: true }
            : {},
        ip,
      });
      return created;
    });
    return {
      ok: true,
      user: {
        id: user.id,
        email: user.email,
        username: user.username,
        name: user.name,
        isAdmin: user.isAdmin,
        pendingApproval: user.pendingApproval,
      },
    };
  } catch (e) {
    if (e instanceof SignUpRefused) return { ok: false, status: 403, error: e.message, field: e.field };
    if (isUniqueViolation(e)) {
      const target = JSON.stringify((e as { meta?: unknown }).meta ?? "");
      if (target.includes("username"))
        return { ok: false, status: 409, error: "That username is already taken", field: "username" };
      return { ok: false, status: 409, error: "An account with that e-mail address already exists", field: "email" };
    }
    throw e;
  }
}

/** Thrown inside the sign-up transaction so that a consumed invite is given back. */
class SignUpRefused extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Returns the user when e-mail (case-insensitive) and password match, else null. Throws PasswordHashingBusy when too many checks are queued. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<User | null> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) {
    // Spend about the same time as a real check so response timing does not reveal which e-mails exist.
    dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await verifyPassword(await dummyHash, password);
    return null;
  }
  // A project access token's bot has no password; it is refused like a wrong one.
  return (await verifyPassword(user.passwordHash, password)) && !user.botProjectId ? user : null;
}

let dummyHash: Promise<string> | undefined;
