import { describe, expect, it } from "vitest";
import { assignableRoles, can, type Actor } from "./rules";
import { atLeast, parseRole } from "./roles";

const ada: Actor = { id: "ada", isAdmin: false };
const admin: Actor = { id: "root", isAdmin: true };

describe("roles", () => {
  it("orders reporter < developer < maintainer < owner", () => {
    expect(atLeast("owner", "maintainer")).toBe(true);
    expect(atLeast("maintainer", "maintainer")).toBe(true);
    expect(atLeast("developer", "maintainer")).toBe(false);
    expect(atLeast(null, "reporter")).toBe(false);
  });
  it("parses only known roles", () => {
    expect(parseRole("maintainer")).toBe("maintainer");
    expect(parseRole("Maintainer")).toBeNull();
    expect(parseRole("admin")).toBeNull();
  });
});

describe("group rules", () => {
  it("members of any role see the group; outsiders do not; admins do", () => {
    expect(can.viewGroup(ada, { role: "reporter" })).toBe(true);
    expect(can.viewGroup(ada, { role: null })).toBe(false);
    expect(can.viewGroup(admin, { role: null })).toBe(true);
  });
  it("only owners (and admins) manage members", () => {
    expect(can.manageGroupMembers(ada, { role: "owner" })).toBe(true);
    expect(can.manageGroupMembers(ada, { role: "maintainer" })).toBe(false);
    expect(can.manageGroupMembers(ada, { role: null })).toBe(false);
    expect(can.manageGroupMembers(admin, { role: null })).toBe(true);
    expect(assignableRoles(ada, { role: "maintainer" })).toEqual([]);
    expect(assignableRoles(ada, { role: "owner" })).toContain("owner");
  });
  it("maintainers and owners create projects in the group; developers and reporters cannot", () => {
    expect(can.createProjectInGroup(ada, { role: "maintainer" })).toBe(true);
    expect(can.createProjectInGroup(ada, { role: "owner" })).toBe(true);
    expect(can.createProjectInGroup(ada, { role: "developer" })).toBe(false);
    expect(can.createProjectInGroup(ada, { role: "reporter" })).toBe(false);
    expect(can.createProjectInGroup(ada, { role: null })).toBe(false);
  });
});

describe("project rules", () => {
  const own = { ownerUserId: "ada", groupRole: null };
  const others = { ownerUserId: "bob", groupRole: null };
  it("a user sees their own projects and their groups' projects, not an unrelated one", () => {
    expect(can.viewProject(ada, own)).toBe(true);
    expect(can.viewProject(ada, { ownerUserId: null, groupRole: "reporter" })).toBe(true);
    expect(can.viewProject(ada, others)).toBe(false);
    expect(can.viewProject(ada, { ownerUserId: null, groupRole: null })).toBe(false);
    expect(can.viewProject(admin, others)).toBe(true);
  });
  it("maintainers manage agents and tokens; a developer cannot create a token", () => {
    expect(can.manageProjectAgents(ada, { ownerUserId: null, groupRole: "maintainer" })).toBe(true);
    expect(can.manageProjectAgents(ada, { ownerUserId: null, groupRole: "developer" })).toBe(false);
    expect(can.manageProjectAgents(ada, { ownerUserId: null, groupRole: "reporter" })).toBe(false);
    expect(can.manageProjectAgents(ada, own)).toBe(true);
    expect(can.manageProjectAgents(ada, others)).toBe(false);
  });
  it("maintainers, owners and admins read the project's audit log; developers, reporters and outsiders do not", () => {
    expect(can.viewProjectAudit(ada, { ownerUserId: null, groupRole: "maintainer" })).toBe(true);
    expect(can.viewProjectAudit(ada, { ownerUserId: null, groupRole: "owner" })).toBe(true);
    expect(can.viewProjectAudit(ada, own)).toBe(true);
    expect(can.viewProjectAudit(ada, { ownerUserId: null, groupRole: "developer" })).toBe(false);
    expect(can.viewProjectAudit(ada, { ownerUserId: null, groupRole: "reporter" })).toBe(false);
    expect(can.viewProjectAudit(ada, others)).toBe(false);
    expect(can.viewProjectAudit(admin, others)).toBe(true);
  });
  it("only admins read the installation's audit log", () => {
    expect(can.viewInstanceAudit(admin)).toBe(true);
    expect(can.viewInstanceAudit(ada)).toBe(false);
  });
  it("only owners delete a group's project", () => {
    expect(can.deleteProject(ada, { ownerUserId: null, groupRole: "maintainer" })).toBe(false);
    expect(can.deleteProject(ada, { ownerUserId: null, groupRole: "owner" })).toBe(true);
    expect(can.deleteProject(ada, own)).toBe(true);
  });
});

describe("a project access token's bot", () => {
  const bot = (role: "developer" | "maintainer"): Actor => ({
    id: "bot",
    isAdmin: false,
    projectBot: { projectId: "p1", role },
  });
  // projectFacts gives a bot its role in its own project (botRole) and null everywhere else.
  const ownProject = (role: "developer" | "maintainer") => ({ ownerUserId: "ada", groupRole: null, botRole: role });
  const elsewhere = { ownerUserId: "ada", groupRole: null, botRole: null };
  it("has exactly its role in its project: a developer runs pipelines, a maintainer also manages agents, neither deletes", () => {
    expect(can.viewProject(bot("developer"), ownProject("developer"))).toBe(true);
    expect(can.runPipelines(bot("developer"), ownProject("developer"))).toBe(true);
    expect(can.manageProjectAgents(bot("developer"), ownProject("developer"))).toBe(false);
    expect(can.viewProjectAudit(bot("developer"), ownProject("developer"))).toBe(false);
    expect(can.manageProjectAgents(bot("maintainer"), ownProject("maintainer"))).toBe(true);
    expect(can.viewProjectAudit(bot("maintainer"), ownProject("maintainer"))).toBe(true);
    expect(can.deleteProject(bot("maintainer"), ownProject("maintainer"))).toBe(false);
  });
  it("is a stranger to every other project, creates no group and owns no project", () => {
    expect(can.viewProject(bot("maintainer"), elsewhere)).toBe(false);
    expect(can.createGroup(bot("maintainer"))).toBe(false);
    expect(can.ownProjects(bot("maintainer"))).toBe(false);
    expect(can.createGroup(ada)).toBe(true);
    expect(can.ownProjects(ada)).toBe(true);
  });
});
