// Who may do what. Every rule lives here, as a pure function of the facts about the actor, and is unit
// tested rule by rule; route handlers and pages only call these.
import { atLeast, type Role } from "./roles";

export interface Actor {
  id: string;
  isAdmin: boolean;
  /**
   * Set when the actor is a project access token's bot: it has exactly this role in this one project and
   * nothing anywhere else (no group, no project of its own, never an administrator).
   */
  projectBot?: ProjectBot | null;
}

/** A project access token's bot: its project and the role the token gives it there. */
export interface ProjectBot {
  projectId: string;
  role: "developer" | "maintainer";
}

/** The actor's relation to a group: their role in it, or null when not a member. */
export interface GroupFacts {
  role: Role | null;
}

/** The actor's relation to a project: owned by a user (ownerUserId) or by a group (role in that group). */
export interface ProjectFacts {
  ownerUserId: string | null;
  groupRole: Role | null;
  /** The role of a project access token's bot in this project (its own project only); absent otherwise. */
  botRole?: Role | null;
}

/** The actor's role in the project through its group or as the project's bot. */
const memberRole = (p: ProjectFacts): Role | null => p.groupRole ?? p.botRole ?? null;

export const can = {
  viewGroup: (a: Actor, g: GroupFacts) => a.isAdmin || g.role !== null,
  /** Create a group (becoming its owner) or a project in one's own namespace: any user but a project bot. */
  createGroup: (a: Actor) => !a.projectBot,
  ownProjects: (a: Actor) => !a.projectBot,
  manageGroupMembers: (a: Actor, g: GroupFacts) => a.isAdmin || atLeast(g.role, "owner"),
  createProjectInGroup: (a: Actor, g: GroupFacts) => a.isAdmin || atLeast(g.role, "maintainer"),
  /** Rename the group, change its path, delete it. */
  manageGroup: (a: Actor, g: GroupFacts) => a.isAdmin || atLeast(g.role, "owner"),

  viewProject: (a: Actor, p: ProjectFacts) => a.isAdmin || p.ownerUserId === a.id || memberRole(p) !== null,
  /** Register agents, create and revoke their tokens, change sharing. */
  manageProjectAgents: (a: Actor, p: ProjectFacts) =>
    a.isAdmin || p.ownerUserId === a.id || atLeast(memberRole(p), "maintainer"),
  /** Start pipelines, i.e. mint CI job tokens for the project. */
  runPipelines: (a: Actor, p: ProjectFacts) =>
    a.isAdmin || p.ownerUserId === a.id || atLeast(memberRole(p), "developer"),
  /** Rename the project and change its description. */
  editProject: (a: Actor, p: ProjectFacts) =>
    a.isAdmin || p.ownerUserId === a.id || atLeast(memberRole(p), "maintainer"),
  /** Delete the project, or transfer it out of its namespace. */
  deleteProject: (a: Actor, p: ProjectFacts) => a.isAdmin || p.ownerUserId === a.id || atLeast(memberRole(p), "owner"),
  /** Read the project's audit log (its own events and its agents'). */
  viewProjectAudit: (a: Actor, p: ProjectFacts) =>
    a.isAdmin || p.ownerUserId === a.id || atLeast(memberRole(p), "maintainer"),
  /** Read the installation-wide audit log. */
  viewInstanceAudit: (a: Actor) => a.isAdmin,
  /** See every agent, project and group of the installation at once (the admin's fleet view). */
  viewFleet: (a: Actor) => a.isAdmin,
} as const;

/** Which roles an actor may hand out in a group: owners any, nobody else any. */
export function assignableRoles(a: Actor, g: GroupFacts): Role[] {
  return can.manageGroupMembers(a, g) ? ["reporter", "developer", "maintainer", "owner"] : [];
}
