// Changing and removing groups, members, projects and agents, on SQLite and on PostgreSQL: the last owner
// stays, removed members lose access at once, a transfer keeps the project's agents, and deleting takes
// its children with it while the audit log keeps every event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findVisibleAgent } from "@/lib/access";
import { agentsSharedWithProject, saveAgentConfig } from "@/lib/agent-config";
import {
  agentForToken,
  createAgentToken,
  deleteAgent,
  listAgentTokens,
  registerAgent,
  revokeAgentToken,
} from "@/lib/agents";
import type { AuditFilter } from "@/lib/audit/audit-filter";
import { auditExport, projectAuditLog } from "@/lib/audit/audit-pages";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { createProject, deleteProject, findVisibleProject, transferProject, updateProject } from "@/lib/projects";
import {
  addGroupMember,
  changeMemberRole,
  createGroup,
  deleteGroup,
  findVisibleGroup,
  listGroupMembers,
  removeGroupMember,
  updateGroup,
} from "./groups-and-members";

type U = { id: string; username: string; isAdmin: boolean };

describe.each(["sqlite", "postgresql"] as const)("changing and removing on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, U> = {};
  const u = (name: string) => users[name]!;
  const roles = async (path: string) =>
    (await listGroupMembers(db, (await db.group.findUniqueOrThrow({ where: { path } })).id)).map(
      (m) => `${m.username}:${m.role}`,
    );

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "mia", "dev", "out"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    await createGroup(db, u("olga"), { name: "Platform", path: "platform" });
    await addGroupMember(db, u("olga"), "platform", { username: "@Mia", role: "maintainer" });
    await addGroupMember(db, u("olga"), "platform", { username: "dev", role: "developer" });
    await createGroup(db, u("mia"), { name: "Apps", path: "apps" });
    await addGroupMember(db, u("mia"), "apps", { username: "dev", role: "developer" });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("accepts @username in the member form", async () => {
    expect(await roles("platform")).toEqual(["olga:owner", "mia:maintainer", "dev:developer"]);
  });

  it("the last owner cannot be demoted, removed or leave; with a second owner they can", async () => {
    await expect(changeMemberRole(db, u("olga"), "platform", "olga", { role: "maintainer" })).rejects.toMatchObject({
      constructor: Conflict,
      message:
        "@olga is the last owner of platform: a group needs at least one owner. Make another member an owner first.",
    });
    await expect(removeGroupMember(db, u("olga"), "platform", "olga")).rejects.toThrow(
      "You are the last owner of platform and cannot leave it",
    );
    await expect(changeMemberRole(db, u("olga"), "platform", "mia", { role: "boss" })).rejects.toBeInstanceOf(Invalid);
    await expect(changeMemberRole(db, u("mia"), "platform", "dev", { role: "owner" })).rejects.toMatchObject({
      constructor: Forbidden,
      message: "Only the group's owners can change roles",
    });
    await expect(changeMemberRole(db, u("olga"), "platform", "nobody", { role: "owner" })).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(await roles("platform")).toEqual(["olga:owner", "mia:maintainer", "dev:developer"]);

    await changeMemberRole(db, u("olga"), "platform", "@mia", { role: "owner" });
    await changeMemberRole(db, u("mia"), "platform", "olga", { role: "maintainer" });
    expect(await roles("platform")).toEqual(["olga:maintainer", "mia:owner", "dev:developer"]);
    await changeMemberRole(db, u("mia"), "platform", "olga", { role: "owner" });
  });

  it("a removed member loses access to the group's projects and agents at once; members may leave", async () => {
    const project = await createProject(db, u("mia"), { name: "Infra", path: "infra", namespace: "platform" });
    const agent = await registerAgent(db, u("mia"), project.id, { name: "prod" });
    await expect(findVisibleAgent(db, u("dev"), agent.id)).resolves.toBeTruthy();
    await expect(removeGroupMember(db, u("dev"), "platform", "mia")).rejects.toMatchObject({
      constructor: Forbidden,
      message: "Only the group's owners can remove members",
    });
    await removeGroupMember(db, u("olga"), "platform", "@dev");
    await expect(findVisibleProject(db, u("dev"), "platform/infra")).rejects.toBeInstanceOf(NotFound);
    await expect(findVisibleAgent(db, u("dev"), agent.id)).rejects.toBeInstanceOf(NotFound);
    await expect(findVisibleGroup(db, u("dev"), "platform")).rejects.toBeInstanceOf(NotFound);

    expect(await removeGroupMember(db, u("dev"), "apps", "dev")).toEqual({ left: true });
    expect(await roles("apps")).toEqual(["mia:owner"]);
    const log = await db.auditEvent.findMany({
      where: { action: { startsWith: "group.member_" } },
      orderBy: { createdAt: "asc" },
    });
    expect(log.map((e) => e.action)).toContain("group.member_removed");
    expect(log.map((e) => e.action)).toContain("group.member_left");
  });

  it("a group's new path moves its projects' paths; only owners may change it", async () => {
    await expect(updateGroup(db, u("mia"), "platform", { name: "X" })).resolves.toBeTruthy(); // mia is an owner now
    await changeMemberRole(db, u("olga"), "platform", "mia", { role: "maintainer" });
    await expect(updateGroup(db, u("mia"), "platform", { name: "Y" })).rejects.toBeInstanceOf(Forbidden);
    await expect(updateGroup(db, u("olga"), "platform", { path: "apps" })).rejects.toMatchObject({
      constructor: Conflict,
      field: "path",
    });
    await expect(updateGroup(db, u("olga"), "platform", { path: "-x" })).rejects.toBeInstanceOf(Invalid);
    const g = await updateGroup(db, u("olga"), "platform", { name: "Platform team", path: "plat" });
    expect(g).toMatchObject({ name: "Platform team", path: "plat" });
    await expect(findVisibleProject(db, u("mia"), "plat/infra")).resolves.toBeTruthy();
    await expect(findVisibleProject(db, u("mia"), "platform/infra")).rejects.toBeInstanceOf(NotFound);
  });

  it("a project is renamed by a maintainer and transferred by an owner to a group where they may create projects", async () => {
    const { project } = await findVisibleProject(db, u("mia"), "plat/infra");
    await updateProject(db, u("mia"), project.id, { name: "Infrastructure", path: "infra2" });
    await expect(findVisibleProject(db, u("mia"), "plat/infra2")).resolves.toMatchObject({
      project: { name: "Infrastructure" },
    });
    await expect(transferProject(db, u("mia"), project.id, { namespace: "apps" })).rejects.toMatchObject({
      constructor: Forbidden,
      message: "Only the project's owner (or an owner of its group) can transfer it",
    });
    await expect(transferProject(db, u("olga"), project.id, { namespace: "apps" })).rejects.toThrow(
      'No group "apps" that you belong to',
    );
    await expect(transferProject(db, u("olga"), project.id, { namespace: "plat" })).rejects.toThrow(
      "The project is already in plat",
    );
    await addGroupMember(db, u("mia"), "apps", { username: "olga", role: "maintainer" });
    const moved = await transferProject(db, u("olga"), project.id, { namespace: "apps" });
    expect(moved).toMatchObject({ id: project.id, fullPath: "apps/infra2", groupId: expect.any(String) as string });
    expect(await db.agent.count({ where: { projectId: project.id } })).toBe(1);
    // Olga is only a maintainer in apps: she cannot delete it there.
    await expect(deleteProject(db, u("olga"), project.id, { confirm: "apps/infra2" })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await transferProject(db, u("mia"), project.id, { namespace: "plat" });
  });

  it("deleting an agent ends its tokens, removes it from every share and keeps its audit history", async () => {
    const { project } = await findVisibleProject(db, u("olga"), "plat/infra2");
    const other = await createProject(db, u("olga"), { name: "Web", path: "web", namespace: "plat" });
    const agent = await db.agent.findFirstOrThrow({ where: { projectId: project.id } });
    const t1 = await createAgentToken(db, u("mia"), agent.id, { name: "one" });
    const t2 = await createAgentToken(db, u("mia"), agent.id, { name: "two" });
    await revokeAgentToken(db, u("olga"), agent.id, t2.id);
    const listed = await listAgentTokens(db, u("mia"), agent.id);
    expect(listed.tokens.map((t) => [t.name, t.revokedBy])).toEqual([
      ["two", "olga"],
      ["one", null],
    ]);
    await saveAgentConfig(db, u("mia"), agent.id, "ci_access:\n  projects:\n    - id: plat/web\n");
    expect([...(await agentsSharedWithProject(db, other)).keys()]).toEqual([agent.id]);

    await expect(deleteAgent(db, u("mia"), agent.id, { confirm: "prd" })).rejects.toMatchObject({
      constructor: Invalid,
      message: "Type prod to confirm that you want to delete agent prod",
      field: "confirm",
    });
    await expect(deleteAgent(db, u("out"), agent.id, { confirm: "prod" })).rejects.toBeInstanceOf(NotFound);
    expect(await agentForToken(db, t1.token)).not.toBeNull();

    expect(await deleteAgent(db, u("mia"), agent.id, { confirm: "prod" })).toEqual({ name: "prod", activeTokens: 1 });
    expect(await agentForToken(db, t1.token)).toBeNull();
    await expect(findVisibleAgent(db, u("mia"), agent.id)).rejects.toBeInstanceOf(NotFound);
    expect((await agentsSharedWithProject(db, other)).size).toBe(0);
    const log = await projectAuditLog(db, u("mia"), "plat/infra2");
    const summaries = log.rows.map((r) => r.summary);
    expect(summaries[0]).toBe("Deleted agent prod (plat/infra2), deleted");
    expect(summaries).toContain('Created token "one" for agent prod (plat/infra2), deleted');
    expect(summaries).toContain("Registered agent prod (plat/infra2), deleted");
  });

  it("the audit log filters by actor, action, agent (also a deleted one), date and search, and exports what it selects", async () => {
    const log = (filter: AuditFilter) => projectAuditLog(db, u("olga"), "plat/infra2", 1, filter);
    const all = await log({});
    const byAgent = await log({ agent: "prod" });
    expect(byAgent.total).toBeGreaterThan(3);
    expect(byAgent.rows.every((r) => r.summary.includes("agent prod (plat/infra2), deleted"))).toBe(true);
    expect((await log({ agent: "nothing" })).total).toBe(0);
    const olgas = await log({ actor: "olga" });
    expect(olgas.rows.map((r) => r.actor)).toEqual(olgas.rows.map(() => "@olga"));
    expect(olgas.rows.map((r) => r.action)).toContain("agent_token.revoked");
    expect((await log({ action: "agent_token" })).rows.map((r) => r.action).sort()).toEqual([
      "agent_token.created",
      "agent_token.created",
      "agent_token.revoked",
    ]);
    expect((await log({ action: "project.transferred" })).total).toBe(2);
    expect((await log({ q: "infra2" })).rows.map((r) => r.action)).toContain("project.transferred");
    // From the day of the oldest event to today (UTC), so a run across midnight still selects every event.
    const first = all.rows[all.rows.length - 1]!.createdAt.slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    expect((await log({ from: first, to: today })).total).toBe(all.total);
    expect((await log({ to: "2000-01-01" })).total).toBe(0);
    const exported = await auditExport(db, u("olga"), { project: "plat/infra2" }, { agent: "prod" });
    expect(exported.rows.map((r) => r.id)).toEqual(byAgent.rows.map((r) => r.id));
    await expect(auditExport(db, u("mia"), "instance", {})).rejects.toBeInstanceOf(NotFound);
    await expect(auditExport(db, u("dev"), { project: "plat/infra2" }, {})).rejects.toBeInstanceOf(NotFound);
  });

  it("deleting a project or a group needs its path typed, takes its children with it and keeps the audit log", async () => {
    const { project } = await findVisibleProject(db, u("olga"), "plat/infra2");
    await registerAgent(db, u("olga"), project.id, { name: "edge" });
    const before = await db.auditEvent.count();
    await expect(deleteProject(db, u("olga"), project.id, { confirm: "infra2" })).rejects.toMatchObject({
      message: "Type plat/infra2 to confirm that you want to delete project plat/infra2",
    });
    await expect(deleteProject(db, u("mia"), project.id, { confirm: "plat/infra2" })).rejects.toBeInstanceOf(Forbidden);
    expect(await db.project.count({ where: { id: project.id } })).toBe(1);
    expect(await deleteProject(db, u("olga"), project.id, { confirm: "plat/infra2" })).toEqual({
      agents: 1,
      agentTokens: 0,
      ciJobTokens: 0,
    });
    expect(await db.agent.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db.auditEvent.count()).toBe(before + 1);

    const group = await db.group.findUniqueOrThrow({ where: { path: "plat" } });
    await expect(deleteGroup(db, u("mia"), "plat", { confirm: "plat" })).rejects.toBeInstanceOf(Forbidden);
    await expect(deleteGroup(db, u("olga"), "plat", {})).rejects.toBeInstanceOf(Invalid);
    expect(await deleteGroup(db, u("olga"), "plat", { confirm: "plat" })).toEqual({
      projects: 1,
      agents: 0,
      members: 2,
    });
    expect(await db.project.count({ where: { groupId: group.id } })).toBe(0);
    expect(await db.groupMember.count({ where: { groupId: group.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { targetType: "group", targetId: group.id } })).toBeGreaterThan(3);
    expect(await db.auditEvent.count()).toBe(before + 2);
  });
});
