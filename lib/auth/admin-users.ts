// An administrator's control over accounts: block and unblock (a blocked user's sessions, personal
// access tokens and kubectl access stop at once: the session version is raised, and every check of a
// session or token refuses a blocked user), and grant or remove the administrator role (the last active
// administrator keeps it, so the installation always has one).
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Conflict, Invalid, invalidFrom, NotFound } from "@/lib/errors";
import type { CurrentUser } from "./session";
import { endUserStreams } from "./session-watch";

export const userAdminChangeSchema = z
  .object({
    blocked: z.boolean({ error: "blocked must be true or false" }).optional(),
    isAdmin: z.boolean({ error: "isAdmin must be true or false" }).optional(),
    approved: z.literal(true, { error: "approved can only be true (block an account to refuse it)" }).optional(),
  })
  .strict()
  .refine((v) => v.blocked !== undefined || v.isAdmin !== undefined || v.approved !== undefined, {
    message: "Say what to change: blocked, isAdmin or approved",
  });

export interface UserAdminState {
  id: string;
  username: string;
  isAdmin: boolean;
  blocked: boolean;
  pendingApproval: boolean;
}

/** Active administrators: the role counts only for an account that is not blocked. */
function activeAdmins(db: Pick<Db, "user">, exceptId: string): Promise<number> {
  return db.user.count({ where: { isAdmin: true, blockedAt: null, id: { not: exceptId } } });
}

/** PATCH a user as an administrator: `{ blocked }` and/or `{ isAdmin }`. Anyone else: the user is not found. */
export async function changeUserAsAdmin(
  db: Db,
  actor: CurrentUser,
  userId: string,
  input: unknown,
  ip?: string,
): Promise<UserAdminState> {
  if (!actor.isAdmin) throw new NotFound("User");
  const parsed = userAdminChangeSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const change = parsed.data;
  const state = await db.$transaction(async (tx) => {
    const row = await tx.user.findUnique({ where: { id: userId } });
    if (!row) throw new NotFound("User");
    if (row.botProjectId)
      throw new Invalid(
        `@${row.username} is a project access token's bot: revoke the token on its project's Settings tab`,
      );
    const blocked = change.blocked ?? row.blockedAt !== null;
    const isAdmin = change.isAdmin ?? row.isAdmin;
    if (change.blocked === true && userId === actor.id)
      throw new Invalid("You cannot block yourself: ask another administrator", "blocked");
    // Would this leave the installation without an active administrator?
    const stillAdmin = isAdmin && !blocked;
    if (row.isAdmin && row.blockedAt === null && !stillAdmin && (await activeAdmins(tx, userId)) === 0)
      throw new Conflict(
        `@${row.username} is the last administrator: make someone else an administrator first`,
        change.blocked === true ? "blocked" : "isAdmin",
      );

    if (change.blocked !== undefined && change.blocked !== (row.blockedAt !== null)) {
      await tx.user.update({
        where: { id: userId },
        data: change.blocked ? { blockedAt: new Date(), sessionVersion: { increment: 1 } } : { blockedAt: null },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: change.blocked ? "user.blocked" : "user.unblocked",
        targetType: "user",
        targetId: userId,
        ip,
      });
    }
    if (change.approved && row.pendingApproval) {
      await tx.user.update({ where: { id: userId }, data: { pendingApproval: false } });
      await recordAudit(tx, { actorId: actor.id, action: "user.approved", targetType: "user", targetId: userId, ip });
    }
    if (change.isAdmin !== undefined && change.isAdmin !== row.isAdmin) {
      // The role is re-read from the database on every request (lib/auth/session.ts): it takes effect at once.
      await tx.user.update({ where: { id: userId }, data: { isAdmin: change.isAdmin } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: change.isAdmin ? "user.admin_granted" : "user.admin_removed",
        targetType: "user",
        targetId: userId,
        ip,
      });
    }
    return {
      id: row.id,
      username: row.username,
      isAdmin,
      blocked,
      pendingApproval: row.pendingApproval && !change.approved,
    };
  });
  // This process's open streams of a blocked user end now; other web processes at their next re-check.
  if (change.blocked === true) endUserStreams(userId, "blocked");
  return state;
}
