// Projects: created in a group (maintainers and owners) or under the creator's own username.
import { z } from "zod";
import { can, groupFacts, parseRole, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, Forbidden, Invalid, invalidFrom } from "@/lib/errors";
import { pathSegment } from "@/lib/groups/groups-and-members";

export const createProjectSchema = z.object({
  name: z.string().trim().min(1, "Enter a project name").max(100, "Name is too long (at most 100 characters)"),
  path: pathSegment,
  /** A group path, or the actor's own username for a personal project. */
  namespace: z.string().trim().toLowerCase().min(1, "Choose where the project lives"),
  description: z.string().trim().max(500, "Description is too long (at most 500 characters)").default(""),
});

type Owner = { groupId: string; ownerUserId: null } | { ownerUserId: string; groupId: null };

/** The namespace `namespace` as a project owner, when the actor may put projects there (maintainer+ in a group, or their own). */
export async function resolveNamespace(
  db: Db,
  actor: Actor & { username: string },
  namespace: string,
  doing: string,
): Promise<Owner> {
  if (!can.ownProjects(actor))
    throw new Forbidden(
      "project",
      "A project access token acts in its own project only: it cannot create or move projects",
    );
  if (namespace === actor.username) return { ownerUserId: actor.id, groupId: null };
  const group = await db.group.findUnique({ where: { path: namespace } });
  const facts = group ? await groupFacts(db, group.id, actor.id) : { role: null };
  if (!group || !can.viewGroup(actor, facts))
    throw new Invalid(`No group "${namespace}" that you belong to`, "namespace");
  if (!can.createProjectInGroup(actor, facts))
    throw new Forbidden("group", `You need the maintainer or owner role in ${group.path} to ${doing}`);
  return { groupId: group.id, ownerUserId: null };
}

export async function createProject(db: Db, actor: Actor & { username: string }, input: unknown) {
  const parsed = createProjectSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error, { fallback: "Invalid project" });
  const { name, path, namespace, description } = parsed.data;
  const owner = await resolveNamespace(db, actor, namespace, "create projects there");
  const fullPath = `${namespace}/${path}`;
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.create({ data: { name, path, fullPath, description, ...owner } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "project.created",
        targetType: "project",
        targetId: project.id,
        details: { fullPath },
      });
      return project;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict(`A project ${fullPath} already exists`, "path");
    throw e;
  }
}

/** Where the actor may create projects: their own namespace and groups where they are maintainer+. */
export async function projectNamespaces(db: Db, actor: Actor & { username: string }) {
  const memberships = await db.groupMember.findMany({
    where: { userId: actor.id },
    include: { group: { select: { path: true, name: true } } },
  });
  return [
    { path: actor.username, label: `${actor.username} (personal)` },
    ...memberships
      .filter((m) => can.createProjectInGroup(actor, { role: parseRole(m.role) }))
      .map((m) => ({ path: m.group.path, label: m.group.name })),
  ];
}
