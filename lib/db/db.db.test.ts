// The same database suite on the embedded SQLite and on a real PostgreSQL server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCredentials, signUp } from "@/lib/auth/users";
import { createDb, type Db } from "./client";
import { listMigrations, migrate, MigrationError } from "./migrate";
import { freshDatabase, type TestDatabase } from "./test-databases";

describe.each(["sqlite", "postgresql"] as const)("database on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    const first = await migrate(tdb.target);
    expect(first.applied.length).toBe(listMigrations(provider).length);
    db = createDb(tdb.target);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("applies migrations once: a second run applies nothing", async () => {
    const again = await migrate(tdb.target);
    expect(again.applied).toEqual([]);
  });

  it("signs up the first user as admin and the second as a regular user, with argon2 hashes", async () => {
    const a = await signUp(db, { name: "Ada", username: "ada", email: "Ada@Example.com", password: "correct horse" });
    const b = await signUp(db, { name: "Bob", username: "bob", email: "bob@example.com", password: "battery staple" });
    expect(a).toMatchObject({ ok: true, user: { email: "ada@example.com", isAdmin: true } });
    expect(b).toMatchObject({ ok: true, user: { isAdmin: false } });
    const stored = await db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain("correct horse");
    expect(await db.auditEvent.count({ where: { action: "user.sign_up" } })).toBe(2);
  });

  it("refuses a duplicate e-mail (any case) and a taken username, writing nothing", async () => {
    const before = await db.user.count();
    const dupEmail = await signUp(db, {
      name: "X",
      username: "other",
      email: "ADA@example.com",
      password: "long enough",
    });
    expect(dupEmail).toEqual({
      ok: false,
      status: 409,
      error: "An account with that e-mail address already exists",
      field: "email",
    });
    const dupName = await signUp(db, { name: "X", username: "ada", email: "new@example.com", password: "long enough" });
    expect(dupName).toMatchObject({ ok: false, status: 409, field: "username" });
    expect(await db.user.count()).toBe(before);
    expect(await db.auditEvent.count({ where: { action: "user.sign_up" } })).toBe(2);
  });

  it("rejects an invalid e-mail and a short password with specific errors, writing nothing", async () => {
    const before = await db.user.count();
    expect(
      await signUp(db, { name: "C", username: "carol", email: "not-an-email", password: "long enough" }),
    ).toMatchObject({
      ok: false,
      status: 400,
      error: "Enter a valid e-mail address",
      field: "email",
    });
    expect(
      await signUp(db, { name: "C", username: "carol", email: "carol@example.com", password: "short" }),
    ).toMatchObject({
      ok: false,
      status: 400,
      error: "Password must be at least 8 characters",
      field: "password",
    });
    // Every field at fault is named at once, each with its own problem, in the form's order.
    const all = await signUp(db, { name: " ", username: "-x", email: "nope", password: "short" });
    expect(all).toEqual({
      ok: false,
      status: 400,
      error: "Enter your name",
      field: "name",
      fields: {
        name: "Enter your name",
        username: "Username may contain only letters, digits, '_', '.' and '-', and must start with a letter or digit",
        email: "Enter a valid e-mail address",
        password: "Password must be at least 8 characters",
      },
    });
    expect(await db.user.count()).toBe(before);
  });

  it("checks credentials: right password passes, wrong password and unknown e-mail fail", async () => {
    expect((await checkCredentials(db, "ADA@example.com", "correct horse"))?.username).toBe("ada");
    expect(await checkCredentials(db, "ada@example.com", "wrong password")).toBeNull();
    expect(await checkCredentials(db, "nobody@example.com", "correct horse")).toBeNull();
  });

  it("keeps groups, roles and projects owned by a group or a user; deleting a group removes its projects", async () => {
    const ada = await db.user.findUniqueOrThrow({ where: { username: "ada" } });
    const group = await db.group.create({
      data: { path: "platform", name: "Platform", members: { create: { userId: ada.id, role: "owner" } } },
    });
    await db.project.create({ data: { name: "Infra", path: "infra", fullPath: "platform/infra", groupId: group.id } });
    await db.project.create({
      data: { name: "Sandbox", path: "sandbox", fullPath: "ada/sandbox", ownerUserId: ada.id },
    });
    await expect(
      db.project.create({ data: { name: "Dup", path: "infra", fullPath: "platform/infra", groupId: group.id } }),
    ).rejects.toMatchObject({ code: "P2002" });

    const withMembers = await db.group.findUniqueOrThrow({
      where: { path: "platform" },
      include: { members: true, projects: true },
    });
    expect(withMembers.members.map((m) => m.role)).toEqual(["owner"]);
    expect(withMembers.projects.map((p) => p.fullPath)).toEqual(["platform/infra"]);

    await db.group.delete({ where: { id: group.id } });
    expect(await db.project.findMany({ select: { fullPath: true } })).toEqual([{ fullPath: "ada/sandbox" }]);
    expect(await db.groupMember.count()).toBe(0);
  });
});

describe.each(["sqlite", "postgresql"] as const)("migration safety on %s", (provider) => {
  it("refuses a migration that was edited after it was applied, and a broken one changes nothing", async () => {
    const tdb = await freshDatabase(provider);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-mig-test-"));
    try {
      const m1 = path.join(dir, "0001_a");
      fs.mkdirSync(m1);
      fs.writeFileSync(path.join(m1, `${provider}.sql`), 'CREATE TABLE "A" ("id" TEXT PRIMARY KEY);');
      await migrate(tdb.target, { dir });
      fs.writeFileSync(path.join(m1, `${provider}.sql`), 'CREATE TABLE "A" ("id" TEXT PRIMARY KEY, "x" TEXT);');
      await expect(migrate(tdb.target, { dir })).rejects.toThrow(/0001_a was changed after it was applied/);

      fs.writeFileSync(path.join(m1, `${provider}.sql`), 'CREATE TABLE "A" ("id" TEXT PRIMARY KEY);');
      const m2 = path.join(dir, "0002_b");
      fs.mkdirSync(m2);
      fs.writeFileSync(
        path.join(m2, `${provider}.sql`),
        'CREATE TABLE "B" ("id" TEXT PRIMARY KEY);\nCREATE TABLE oops syntax error;',
      );
      const err = await migrate(tdb.target, { dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(/0002_b failed .* rolled back/);
      // Table B from the failed migration's first statement must not exist.
      fs.writeFileSync(path.join(m2, `${provider}.sql`), 'CREATE TABLE "B" ("id" TEXT PRIMARY KEY);');
      expect((await migrate(tdb.target, { dir })).applied).toEqual(["0002_b"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await tdb.drop();
    }
  });
});
