// Loading a project or an agent for an actor: the thing and the facts about the actor, or NotFound when
// it does not exist or the actor may not see it (the same answer, so a guessed id or path tells nothing),
// or Forbidden when they may see it but not do what they asked.
import type { Db } from "@/lib/db/client";
import { Forbidden, NotFound } from "@/lib/errors";
import { projectFacts } from "./facts";
import { can, type Actor, type ProjectFacts } from "./rules";

/** A project's full path (any case), or its id. */
export type ProjectRef = string | { id: string };

/** The project if the actor may see it; NotFound otherwise. */
export async function findVisibleProject(db: Db, actor: Actor, ref: ProjectRef) {
  const where = typeof ref === "string" ? { fullPath: ref.toLowerCase() } : { id: ref.id };
  const project = await db.project.findUnique({
    where,
    include: { group: true, ownerUser: { select: { username: true } } },
  });
  if (!project) throw new NotFound("Project");
  const facts = await projectFacts(db, project, actor);
  if (!can.viewProject(actor, facts)) throw new NotFound("Project");
  return { project, facts };
}

/** The project if the actor may see it and `rule` lets them act on it; Forbidden with `reason` when they may only see it. */
export async function findProjectFor(
  db: Db,
  actor: Actor,
  ref: ProjectRef,
  rule: (a: Actor, p: ProjectFacts) => boolean,
  reason: string,
) {
  const found = await findVisibleProject(db, actor, ref);
  if (!rule(actor, found.facts)) throw new Forbidden("project", reason);
  return found;
}

/** The agent (with its project) if the actor may see its project; NotFound otherwise. */
export async function findVisibleAgent(db: Db, actor: Actor, agentId: string) {
  const agent = await db.agent.findUnique({ where: { id: agentId }, include: { project: true } });
  if (!agent) throw new NotFound("Agent");
  const facts = await projectFacts(db, agent.project, actor);
  if (!can.viewProject(actor, facts)) throw new NotFound("Agent");
  return { agent, facts };
}

/** The agent if the actor may also manage its project's agents (maintainers and owners); Forbidden with `reason` when they may only see it. */
export async function findManageableAgent(db: Db, actor: Actor, agentId: string, reason: string) {
  const found = await findVisibleAgent(db, actor, agentId);
  if (!can.manageProjectAgents(actor, found.facts)) throw new Forbidden("agent", reason);
  return found;
}
