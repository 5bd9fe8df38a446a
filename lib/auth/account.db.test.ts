// Session versions and password changes against the real databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Invalid, NotFound } from "@/lib/errors";
import { changePassword, revokeSessions, sessionIsCurrent, setPasswordAsAdmin } from "./account";
import type { CurrentUser } from "./session";
import { signInWithPassword } from "./sign-in";
import { FREE_FAILURES, signInThrottle } from "./sign-in-throttle";
import { checkCredentials, signUp } from "./users";

describe.each(["sqlite", "postgresql"] as const)("sessions and passwords on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let admin: CurrentUser;
  let ada: CurrentUser;
  let bob: CurrentUser;

  async function make(username: string): Promise<CurrentUser> {
    const r = await signUp(db, {
      name: username,
      username,
      email: `${username}@example.com`,
      password: `${username} password 1`,
    });
    if (!r.ok) throw new Error(r.error);
    return { id: r.user.id, username, name: username, email: r.user.email, isAdmin: r.user.isAdmin };
  }
  const version = async (u: CurrentUser) => (await db.user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    admin = await make("root");
    ada = await make("ada");
    bob = await make("bob");
    expect(admin.isAdmin).toBe(true);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("new users start at session version 0, so sessions issued before versions existed stay valid", async () => {
    expect(await version(ada)).toBe(0);
    expect(sessionIsCurrent(undefined, 0)).toBe(true);
    expect(sessionIsCurrent(0, 1)).toBe(false);
  });

  it("sign out everywhere raises the user's version (every older cookie is refused) and is audited", async () => {
    await revokeSessions(db, ada, ada.id, "192.0.2.1");
    expect(await version(ada)).toBe(1);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.sessions_revoked", targetId: ada.id },
    });
    expect(audit).toMatchObject({ actorId: ada.id, ip: "192.0.2.1", details: JSON.stringify({ by: "self" }) });
  });

  it("an administrator revokes another user's sessions; anyone else gets not found and changes nothing", async () => {
    await revokeSessions(db, admin, bob.id);
    expect(await version(bob)).toBe(1);
    await expect(revokeSessions(db, ada, bob.id)).rejects.toBeInstanceOf(NotFound);
    await expect(revokeSessions(db, admin, "no-such-user")).rejects.toBeInstanceOf(NotFound);
    expect(await version(bob)).toBe(1);
  });

  it("changing the password needs the current one, validates the new one, then ends every session", async () => {
    const before = await version(ada);
    await expect(
      changePassword(db, ada, { currentPassword: "wrong", newPassword: "a new long password" }),
    ).rejects.toMatchObject({ field: "currentPassword" });
    await expect(
      changePassword(db, ada, { currentPassword: "ada password 1", newPassword: "short" }),
    ).rejects.toMatchObject({ field: "newPassword", message: "Password must be at least 8 characters" });
    await expect(
      changePassword(db, ada, { currentPassword: "ada password 1", newPassword: "ada password 1" }),
    ).rejects.toBeInstanceOf(Invalid);
    await expect(changePassword(db, ada, { newPassword: "a new long password" })).rejects.toMatchObject({
      field: "currentPassword",
    });
    expect(await version(ada)).toBe(before);

    await changePassword(db, ada, { currentPassword: "ada password 1", newPassword: "a new long password" });
    expect(await version(ada)).toBe(before + 1);
    expect(await checkCredentials(db, ada.email, "ada password 1")).toBeNull();
    expect(await checkCredentials(db, ada.email, "a new long password")).toMatchObject({ id: ada.id });
    expect(await db.auditEvent.count({ where: { action: "user.password_changed", targetId: ada.id } })).toBe(1);
  });

  it("an administrator sets a new password (ending the user's sessions); nobody else can", async () => {
    await expect(setPasswordAsAdmin(db, ada, bob.id, { newPassword: "taken over!!" })).rejects.toBeInstanceOf(NotFound);
    await expect(setPasswordAsAdmin(db, admin, bob.id, { newPassword: "x" })).rejects.toMatchObject({
      field: "newPassword",
    });
    const before = await version(bob);
    await setPasswordAsAdmin(db, admin, bob.id, { newPassword: "set by the admin" });
    expect(await version(bob)).toBe(before + 1);
    expect(await checkCredentials(db, bob.email, "set by the admin")).toMatchObject({ id: bob.id });
    expect(
      await db.auditEvent.count({ where: { action: "user.password_set", actorId: admin.id, targetId: bob.id } }),
    ).toBe(1);
  });

  it("wrong current passwords count like failed sign-ins: the fifth locks the change and sign-in alike", async () => {
    const carol = await make("carol");
    for (let i = 1; i < FREE_FAILURES.account; i++) {
      await expect(
        changePassword(db, carol, { currentPassword: `guess ${i}`, newPassword: "a new long password" }),
      ).rejects.toMatchObject({ message: "Your current password is not right" });
    }
    await expect(
      changePassword(db, carol, { currentPassword: "guess 5", newPassword: "a new long password" }),
    ).rejects.toMatchObject({
      field: "currentPassword",
      message: expect.stringMatching(/^Too many failed sign-in attempts\. Try again in 1 minute/),
    });
    await expect(
      changePassword(db, carol, { currentPassword: "carol password 1", newPassword: "a new long password" }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^Too many failed/) });
    expect(
      await signInWithPassword(db, signInThrottle(db), { email: carol.email, password: "carol password 1" }),
    ).toMatchObject({ ok: false, reason: "locked" });
    expect(await db.auditEvent.count({ where: { action: "user.sign_in_locked", targetId: carol.id } })).toBe(1);
    expect(await checkCredentials(db, carol.email, "carol password 1")).toMatchObject({ id: carol.id });
  });
});
