// Groups, members and projects with their access rules, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { createProject, findVisibleProject, listVisibleProjects, projectNamespaces } from "@/lib/projects";
import { addGroupMember, createGroup, findVisibleGroup, listGroupMembers } from "./groups-and-members";

describe.each(["sqlite", "postgresql"] as const)("groups and projects on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, { id: string; username: string; isAdmin: boolean }> = {};

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "mia", "dev", "out"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("creates a group with its creator as owner, and refuses a taken or invalid path", async () => {
    const g = await createGroup(db, users.olga!, { name: "Platform", path: "Platform" });
    expect(g.path).toBe("platform");
    expect(await listGroupMembers(db, g.id)).toMatchObject([{ username: "olga", role: "owner" }]);
    await expect(createGroup(db, users.mia!, { name: "Again", path: "platform" })).rejects.toMatchObject({
      constructor: Conflict,
      message: "A group with that path already exists",
      field: "path",
    });
    await expect(createGroup(db, users.mia!, { name: "Bad", path: "-bad-" })).rejects.toBeInstanceOf(Invalid);
    await expect(createGroup(db, users.mia!, { name: "User", path: "dev" })).rejects.toThrow(
      "That path is already used by a user",
    );
    expect(await db.group.count()).toBe(1);
  });

  it("owners add members with roles; others cannot; unknown users and roles are refused", async () => {
    await addGroupMember(db, users.olga!, "platform", { username: "mia", role: "maintainer" });
    await addGroupMember(db, users.olga!, "platform", { username: "DEV", role: "developer" });
    await expect(
      addGroupMember(db, users.mia!, "platform", { username: "out", role: "reporter" }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(addGroupMember(db, users.olga!, "platform", { username: "nobody", role: "reporter" })).rejects.toThrow(
      'No user with the username "nobody"',
    );
    await expect(
      addGroupMember(db, users.olga!, "platform", { username: "out", role: "admin" }),
    ).rejects.toBeInstanceOf(Invalid);
    await expect(
      addGroupMember(db, users.olga!, "platform", { username: "mia", role: "owner" }),
    ).rejects.toBeInstanceOf(Conflict);
    expect(
      (await listGroupMembers(db, (await db.group.findUniqueOrThrow({ where: { path: "platform" } })).id)).map(
        (m) => `${m.username}:${m.role}`,
      ),
    ).toEqual(["olga:owner", "mia:maintainer", "dev:developer"]);
  });

  it("an outsider gets not-found for a group, exactly as for one that does not exist", async () => {
    await expect(findVisibleGroup(db, users.out!, "platform")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Group not found",
    });
    await expect(findVisibleGroup(db, users.out!, "missing")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Group not found",
    });
    await expect(addGroupMember(db, users.out!, "platform", { username: "out", role: "owner" })).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(findVisibleGroup(db, users.root!, "platform")).resolves.toBeTruthy(); // the admin sees everything
  });

  it("maintainers create projects in the group, developers cannot, anyone in their own namespace", async () => {
    const p = await createProject(db, users.mia!, { name: "Infra", path: "infra", namespace: "platform" });
    expect(p.fullPath).toBe("platform/infra");
    await expect(createProject(db, users.dev!, { name: "X", path: "xx", namespace: "platform" })).rejects.toMatchObject(
      {
        constructor: Forbidden,
        message: "You need the maintainer or owner role in platform to create projects there",
      },
    );
    await expect(createProject(db, users.out!, { name: "X", path: "xx", namespace: "platform" })).rejects.toThrow(
      'No group "platform" that you belong to',
    );
    await expect(
      createProject(db, users.mia!, { name: "Infra", path: "infra", namespace: "platform" }),
    ).rejects.toBeInstanceOf(Conflict);
    const own = await createProject(db, users.out!, { name: "Sandbox", path: "sandbox", namespace: "out" });
    expect(own.ownerUserId).toBe(users.out!.id);
    expect((await projectNamespaces(db, users.dev!)).map((n) => n.path)).toEqual(["dev"]);
    expect((await projectNamespaces(db, users.mia!)).map((n) => n.path)).toEqual(["mia", "platform"]);
  });

  it("members see their groups' projects; an unrelated user cannot see one even by its path", async () => {
    expect((await listVisibleProjects(db, users.dev!.id)).map((p) => p.fullPath)).toEqual(["platform/infra"]);
    expect((await listVisibleProjects(db, users.out!.id)).map((p) => p.fullPath)).toEqual(["out/sandbox"]);
    await expect(findVisibleProject(db, users.out!, "platform/infra")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    await expect(findVisibleProject(db, users.dev!, "out/sandbox")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    const seen = await findVisibleProject(db, users.dev!, "platform/infra");
    expect(seen.facts.groupRole).toBe("developer");
  });
});
