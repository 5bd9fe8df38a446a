// Changing and removing projects: rename, new path, transfer to another namespace, delete with what it
// takes along. Who may do each is decided by lib/access; every change is audited.
import { z } from "zod";
import { can, findProjectFor, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, Invalid, invalidFrom } from "@/lib/errors";
import { pathSegment, requireConfirmation } from "@/lib/groups/groups-and-members";
import { createProjectSchema, resolveNamespace } from "./create-project";

export const updateProjectSchema = z
  .object({
    name: createProjectSchema.shape.name.optional(),
    path: pathSegment.optional(),
    description: z.string().trim().max(500, "Description is too long (at most 500 characters)").optional(),
  })
  .strict();

export const transferProjectSchema = z.object({
  namespace: z.string().trim().toLowerCase().min(1, "Choose the group (or your own namespace) to move the project to"),
});

function namespaceOf(fullPath: string): string {
  return fullPath.slice(0, fullPath.lastIndexOf("/"));
}

/** Renames the project, changes its description or the last segment of its path. Maintainers and owners. */
export async function updateProject(db: Db, actor: Actor, projectId: string, input: unknown) {
  const { project } = await findProjectFor(
    db,
    actor,
    { id: projectId },
    can.editProject,
    "You need the maintainer or owner role in this project to change it",
  );
  const parsed = updateProjectSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const data = parsed.data;
  const fullPath = data.path ? `${namespaceOf(project.fullPath)}/${data.path}` : project.fullPath;
  try {
    return await db.$transaction(async (tx) => {
      const updated = await tx.project.update({ where: { id: project.id }, data: { ...data, fullPath } });
      const changed = Object.fromEntries(
        (["name", "path", "description"] as const)
          .filter((k) => data[k] !== undefined && data[k] !== project[k])
          .map((k) => [k, data[k] ?? null]),
      );
      await recordAudit(tx, {
        actorId: actor.id,
        action: "project.updated",
        targetType: "project",
        targetId: project.id,
        details: { ...changed, ...(fullPath !== project.fullPath ? { previousPath: project.fullPath } : {}) },
      });
      return updated;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict(`A project ${fullPath} already exists`, "path");
    throw e;
  }
}

/** What deleting the project takes with it. */
export async function projectDeletionImpact(db: Db, projectId: string) {
  const [agents, agentTokens, ciJobTokens] = await Promise.all([
    db.agent.count({ where: { projectId } }),
    db.agentToken.count({ where: { agent: { projectId }, revokedAt: null } }),
    db.ciJobToken.count({ where: { projectId, revokedAt: null, expiresAt: { gt: new Date() } } }),
  ]);
  return { agents, agentTokens, ciJobTokens };
}

/**
 * Deletes the project with its agents (their tokens stop working, so kas closes their tunnels at its next
 * token re-check) and CI job tokens. The audit log keeps every event. The caller types the project's path.
 */
export async function deleteProject(db: Db, actor: Actor, projectId: string, input: unknown) {
  const { project } = await findProjectFor(
    db,
    actor,
    { id: projectId },
    can.deleteProject,
    "Only the project's owner (or an owner of its group) can delete it",
  );
  requireConfirmation(input, project.fullPath, `project ${project.fullPath}`);
  const impact = await projectDeletionImpact(db, project.id);
  await db.$transaction(async (tx) => {
    await tx.project.delete({ where: { id: project.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "project.deleted",
      targetType: "project",
      targetId: project.id,
      details: { fullPath: project.fullPath, ...impact },
    });
  });
  return impact;
}

/**
 * Moves the project to another group (where the actor is maintainer or owner) or to the actor's own
 * namespace. Its id, agents, tokens and history stay; its path changes, so links and kubeconfig
 * contexts naming the old path change too.
 */
export async function transferProject(db: Db, actor: Actor & { username: string }, projectId: string, input: unknown) {
  const { project } = await findProjectFor(
    db,
    actor,
    { id: projectId },
    can.deleteProject,
    "Only the project's owner (or an owner of its group) can transfer it",
  );
  const parsed = transferProjectSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { namespace } = parsed.data;
  if (namespace === namespaceOf(project.fullPath))
    throw new Invalid(`The project is already in ${namespace}`, "namespace");
  const owner = await resolveNamespace(db, actor, namespace, "move projects there");
  const fullPath = `${namespace}/${project.path}`;
  try {
    return await db.$transaction(async (tx) => {
      const moved = await tx.project.update({ where: { id: project.id }, data: { ...owner, fullPath } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "project.transferred",
        targetType: "project",
        targetId: project.id,
        details: { from: project.fullPath, to: fullPath },
      });
      return moved;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict(`A project ${fullPath} already exists`, "namespace");
    throw e;
  }
}
