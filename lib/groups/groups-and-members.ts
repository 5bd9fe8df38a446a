// Groups and their members.
import { z } from "zod";
import { can, groupFacts, roleSchema, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, Forbidden, Invalid, NotFound, invalidFrom } from "@/lib/errors";

/** A path segment, as in GitLab: letters, digits, '_', '-', '.', not starting or ending with a separator. */
export const pathSegment = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Path must be at least 2 characters")
  .max(60, "Path is too long (at most 60 characters)")
  .regex(
    /^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$/,
    "Path may contain only letters, digits, '_', '-' and '.', and must start and end with a letter or digit",
  );

export const createGroupSchema = z.object({
  name: z.string().trim().min(1, "Enter a group name").max(100, "Name is too long (at most 100 characters)"),
  path: pathSegment,
  description: z.string().trim().max(500, "Description is too long (at most 500 characters)").default(""),
});

/** A username as people write it: "bob" or "@bob", any case. */
const usernameInput = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^@/, ""));

export const addMemberSchema = z.object({
  username: usernameInput.pipe(z.string().min(1, "Enter a username")),
  role: roleSchema,
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidFrom(r.error);
  return r.data;
}

export async function createGroup(db: Db, actor: Actor, input: unknown) {
  if (!can.createGroup(actor))
    throw new Forbidden("group", "A project access token acts in its own project only: it cannot create groups");
  const data = parse(createGroupSchema, input);
  const taken = await db.user.findUnique({ where: { username: data.path } });
  if (taken) throw new Conflict("That path is already used by a user", "path");
  try {
    return await db.$transaction(async (tx) => {
      const group = await tx.group.create({
        data: { ...data, members: { create: { userId: actor.id, role: "owner" } } },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "group.created",
        targetType: "group",
        targetId: group.id,
        details: { path: group.path },
      });
      return group;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict("A group with that path already exists", "path");
    throw e;
  }
}

/** The group at `path` if the actor may see it; otherwise NotFound (never revealing that it exists). */
export async function findVisibleGroup(db: Db, actor: Actor, path: string) {
  const group = await db.group.findUnique({ where: { path: path.toLowerCase() } });
  if (!group) throw new NotFound("Group");
  const facts = await groupFacts(db, group.id, actor.id);
  if (!can.viewGroup(actor, facts)) throw new NotFound("Group");
  return { group, facts };
}

export async function addGroupMember(db: Db, actor: Actor, groupPath: string, input: unknown) {
  const { group, facts } = await findVisibleGroup(db, actor, groupPath);
  if (!can.manageGroupMembers(actor, facts)) throw new Forbidden("group", "Only the group's owners can add members");
  const data = parse(addMemberSchema, input);
  const user = await db.user.findUnique({ where: { username: data.username } });
  if (!user) throw new Invalid(`No user with the username "${data.username}"`, "username");
  if (user.botProjectId)
    throw new Invalid(
      `${user.username} is a project access token's bot: it acts in its own project only and cannot join a group`,
      "username",
    );
  try {
    return await db.$transaction(async (tx) => {
      const member = await tx.groupMember.create({ data: { groupId: group.id, userId: user.id, role: data.role } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "group.member_added",
        targetType: "group",
        targetId: group.id,
        details: { username: user.username, role: data.role },
      });
      return member;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict(`${user.username} is already a member of ${group.path}`, "username");
    throw e;
  }
}

export async function listGroupMembers(db: Db, groupId: string) {
  const rows = await db.groupMember.findMany({
    where: { groupId },
    include: { user: { select: { username: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    username: m.user.username,
    name: m.user.name,
    role: m.role,
    since: m.createdAt.toISOString(),
  }));
}

export const updateGroupSchema = z
  .object({
    name: createGroupSchema.shape.name.optional(),
    path: pathSegment.optional(),
    description: z.string().trim().max(500, "Description is too long (at most 500 characters)").optional(),
  })
  .strict();

/** What deleting something takes with it, typed back by the user to confirm. */
export const confirmSchema = z.object({ confirm: z.string().trim() });

export function requireConfirmation(input: unknown, expected: string, what: string): void {
  const r = confirmSchema.safeParse(input);
  const typed = r.success ? r.data.confirm : "";
  if (typed.toLowerCase() !== expected.toLowerCase())
    throw new Invalid(`Type ${expected} to confirm that you want to delete ${what}`, "confirm");
}

async function findManageableGroup(db: Db, actor: Actor, path: string, reason: string) {
  const found = await findVisibleGroup(db, actor, path);
  if (!can.manageGroup(actor, found.facts)) throw new Forbidden("group", reason);
  return found;
}

/** Renames a group, changes its description or its path (its projects' paths follow). Owners only. */
export async function updateGroup(db: Db, actor: Actor, groupPath: string, input: unknown) {
  const { group } = await findManageableGroup(db, actor, groupPath, "Only the group's owners can change it");
  const data = parse(updateGroupSchema, input);
  const newPath = data.path && data.path !== group.path ? data.path : null;
  if (newPath && (await db.user.findUnique({ where: { username: newPath } })))
    throw new Conflict("That path is already used by a user", "path");
  try {
    return await db.$transaction(async (tx) => {
      const updated = await tx.group.update({ where: { id: group.id }, data });
      if (newPath) {
        const projects = await tx.project.findMany({ where: { groupId: group.id }, select: { id: true, path: true } });
        for (const p of projects)
          await tx.project.update({ where: { id: p.id }, data: { fullPath: `${newPath}/${p.path}` } });
      }
      const changed = Object.fromEntries(
        (["name", "path", "description"] as const)
          .filter((k) => data[k] !== undefined && data[k] !== group[k])
          .map((k) => [k, data[k] ?? null]),
      );
      await recordAudit(tx, {
        actorId: actor.id,
        action: "group.updated",
        targetType: "group",
        targetId: group.id,
        details: { ...changed, ...(newPath ? { previousPath: group.path } : {}) },
      });
      return updated;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict("A group with that path already exists", "path");
    throw e;
  }
}

/** What deleting the group takes with it: its projects, their agents, its members. */
export async function groupDeletionImpact(db: Db, groupId: string) {
  const [projects, agents, members] = await Promise.all([
    db.project.count({ where: { groupId } }),
    db.agent.count({ where: { project: { groupId } } }),
    db.groupMember.count({ where: { groupId } }),
  ]);
  return { projects, agents, members };
}

/**
 * Deletes a group with its projects, their agents (their tokens stop working, so kas closes their tunnels
 * at its next token re-check) and its memberships. The audit log keeps every event. Owners only; the
 * caller types the group's path to confirm.
 */
export async function deleteGroup(db: Db, actor: Actor, groupPath: string, input: unknown) {
  const { group } = await findManageableGroup(db, actor, groupPath, "Only the group's owners can delete it");
  requireConfirmation(input, group.path, `group ${group.path}`);
  const impact = await groupDeletionImpact(db, group.id);
  await db.$transaction(async (tx) => {
    await tx.group.delete({ where: { id: group.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "group.deleted",
      targetType: "group",
      targetId: group.id,
      details: { path: group.path, ...impact },
    });
  });
  return impact;
}

export const changeRoleSchema = z.object({ role: roleSchema });

async function findMember(db: Db, groupId: string, rawUsername: string) {
  const username = usernameInput.parse(rawUsername);
  const member = await db.groupMember.findFirst({
    where: { groupId, user: { username } },
    include: { user: { select: { id: true, username: true } } },
  });
  if (!member) throw new NotFound("Member");
  return member;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Refuses a change that would leave the group without an owner (checked inside the transaction that makes it). */
async function keepAnOwner(tx: Tx, groupId: string, leaving: string, what: string): Promise<void> {
  const others = await tx.groupMember.count({ where: { groupId, role: "owner", userId: { not: leaving } } });
  if (others === 0)
    throw new Conflict(`${what}: a group needs at least one owner. Make another member an owner first.`);
}

/** Changes a member's role (owners only); the last owner cannot be made anything less. */
export async function changeMemberRole(db: Db, actor: Actor, groupPath: string, username: string, input: unknown) {
  const { group, facts } = await findVisibleGroup(db, actor, groupPath);
  if (!can.manageGroupMembers(actor, facts)) throw new Forbidden("group", "Only the group's owners can change roles");
  const { role } = parse(changeRoleSchema, input);
  const member = await findMember(db, group.id, username);
  if (member.role === role) return member;
  return db.$transaction(async (tx) => {
    if (member.role === "owner")
      await keepAnOwner(tx, group.id, member.userId, `@${member.user.username} is the last owner of ${group.path}`);
    const updated = await tx.groupMember.update({
      where: { groupId_userId: { groupId: group.id, userId: member.userId } },
      data: { role },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "group.member_role_changed",
      targetType: "group",
      targetId: group.id,
      details: { username: member.user.username, from: member.role, to: role },
    });
    return updated;
  });
}

/**
 * Removes a member (owners remove anyone; every member may remove themselves, i.e. leave). The last
 * owner can neither be removed nor leave. Their access to the group's projects and agents ends at once.
 */
export async function removeGroupMember(db: Db, actor: Actor, groupPath: string, username: string) {
  const { group, facts } = await findVisibleGroup(db, actor, groupPath);
  const member = await findMember(db, group.id, username);
  const leaving = member.userId === actor.id;
  if (!leaving && !can.manageGroupMembers(actor, facts))
    throw new Forbidden("group", "Only the group's owners can remove members");
  await db.$transaction(async (tx) => {
    if (member.role === "owner")
      await keepAnOwner(
        tx,
        group.id,
        member.userId,
        leaving
          ? `You are the last owner of ${group.path} and cannot leave it`
          : `@${member.user.username} is the last owner of ${group.path}`,
      );
    await tx.groupMember.delete({ where: { groupId_userId: { groupId: group.id, userId: member.userId } } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: leaving ? "group.member_left" : "group.member_removed",
      targetType: "group",
      targetId: group.id,
      details: { username: member.user.username, role: member.role },
    });
  });
  return { left: leaving };
}
