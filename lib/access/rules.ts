// Who may do what. Every rule lives here, as a pure function of the facts about the actor, and is unit
// tested rule by rule; route handlers and pages only call these.
import { atLeast, type Role } from "./roles";

export interface Actor {
  id: string;
  isAdmin: boolean;
}

/** The actor's relation to a group: their role in it, or null when not a member. */
export interface GroupFacts {
  role: Role | null;
}

/** The actor's relation to a project: owned by a user (ownerUserId) or by a group (role in that group). */
export interface ProjectFacts {
  ownerUserId: string | null;
  groupRole: Role | null;
}

export const can = {
  viewGroup: (a: Actor, g: GroupFacts) => a.isAdmin || g.role !== null,
  manageGroupMembers: (a: Actor, g: GroupFacts) => a.isAdmin || atLeast(g.role, "owner"),
  createProjectInGroup: (a: Actor, g: GroupFacts) => a.isAdmin || atLeast(g.role, "maintainer"),
  /** Rename the group, change its path, delete it. */
  manageGroup: (a: Actor, g: GroupFacts) => a.isAdmin || atLeast(g.role, "owner"),

  viewProject: (a: Actor, p: ProjectFacts) => a.isAdmin || p.ownerUserId === a.id || p.groupRole !== null,
  /** Register agents, create and revoke their tokens, change sharing. */
  manageProjectAgents: (a: Actor, p: ProjectFacts) =>
    a.isAdmin || p.ownerUserId === a.id || atLeast(p.groupRole, "maintainer"),
  /** Start pipelines, i.e. mint CI job tokens for the project. */
  runPipelines: (a: Actor, p: ProjectFacts) => a.isAdmin || p.ownerUserId === a.id || atLeast(p.groupRole, "developer"),
  /** Rename the project and change its description. */
  editProject: (a: Actor, p: ProjectFacts) => a.isAdmin || p.ownerUserId === a.id || atLeast(p.groupRole, "maintainer"),
  /** Delete the project, or transfer it out of its namespace. */
  deleteProject: (a: Actor, p: ProjectFacts) => a.isAdmin || p.ownerUserId === a.id || atLeast(p.groupRole, "owner"),
  /** Read the project's audit log (its own events and its agents'). */
  viewProjectAudit: (a: Actor, p: ProjectFacts) =>
    a.isAdmin || p.ownerUserId === a.id || atLeast(p.groupRole, "maintainer"),
  /** Read the installation-wide audit log. */
  viewInstanceAudit: (a: Actor) => a.isAdmin,
  /** See every agent, project and group of the installation at once (the admin's fleet view). */
  viewFleet: (a: Actor) => a.isAdmin,
} as const;

/** Which roles an actor may hand out in a group: owners any, nobody else any. */
export function assignableRoles(a: Actor, g: GroupFacts): Role[] {
  return can.manageGroupMembers(a, g) ? ["reporter", "developer", "maintainer", "owner"] : [];
}
