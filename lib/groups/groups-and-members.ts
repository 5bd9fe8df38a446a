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

export const addMemberSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, "Enter a username"),
  role: roleSchema,
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidFrom(r.error);
  return r.data;
}

export async function createGroup(db: Db, actor: Actor, input: unknown) {
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
