// An administrator's control over accounts against the real databases: blocking stops sign-in, sessions,
// personal access tokens, CI job tokens the user minted and open streams at once; unblocking restores
// sign-in; the last administrator keeps the role; every change is audited and bad input changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { authenticate } from "@/lib/api-auth";
import { authorizeProxy } from "@/lib/kubectl-access/proxy-auth";
import { createProject } from "@/lib/projects";
import { createCiJobToken, createPersonalAccessToken } from "@/lib/tokens/access-tokens";
import { changeUserAsAdmin } from "./admin-users";
import type { CurrentUser } from "./session";
import { revokeSessions } from "./account";
import { sessionBoundSignal, watchedStreams } from "./session-watch";
import { signInWithPassword } from "./sign-in";
import { signInThrottle } from "./sign-in-throttle";
import { signUp } from "./users";

describe.each(["sqlite", "postgresql"] as const)("administering users on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let root: CurrentUser;
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
  const row = (u: CurrentUser) => db.user.findUniqueOrThrow({ where: { id: u.id } });
  const signIn = (u: CurrentUser, password = `${u.username} password 1`) =>
    signInWithPassword(db, signInThrottle(db), { email: u.email, password, address: "192.0.2.9" });

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    root = await make("root");
    ada = await make("ada");
    bob = await make("bob");
    expect(root.isAdmin).toBe(true);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("a successful sign-in records when; a failed one does not", async () => {
    expect((await row(ada)).lastSignInAt).toBeNull();
    expect(await signIn(ada, "not the password")).toEqual({ ok: false, reason: "invalid" });
    expect((await row(ada)).lastSignInAt).toBeNull();
    const before = Date.now();
    const ok = await signIn(ada);
    expect(ok.ok).toBe(true);
    expect((await row(ada)).lastSignInAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("blocking ends sessions, sign-in, personal access tokens, CI job tokens and open streams at once", async () => {
    const pat = await createPersonalAccessToken(db, ada, { name: "laptop" });
    const api = await createPersonalAccessToken(db, ada, { name: "script", scopes: ["api"] });
    const apiCall = () =>
      authenticate(
        db,
        new Request("http://tether.test/api/projects", { headers: { authorization: `Bearer ${api.token}` } }),
        async () => null,
      );
    expect((await apiCall()).ok).toBe(true);
    const project = await createProject(db, ada, { name: "Ada's", path: "adas", namespace: "ada" });
    const ci = await createCiJobToken(db, ada, project.id, { jobName: "deploy" });
    // Before: the tokens are known and valid (the refusal is about the agent, not the token).
    expect(await authorizeProxy(db, { kind: "pat", agentId: "no-such-agent", token: pat.token })).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(await authorizeProxy(db, { kind: "ci", agentId: "no-such-agent", token: ci.token })).toMatchObject({
      allowed: false,
      status: 403,
    });
    const request = new AbortController();
    // A re-check interval far beyond the test: blocking here ends this process's streams at once.
    const streamSignal = await sessionBoundSignal(db, ada.id, request.signal, 600_000);
    const bystanderRequest = new AbortController();
    const bystander = await sessionBoundSignal(db, bob.id, bystanderRequest.signal, 600_000);
    expect(streamSignal.aborted).toBe(false);
    const version = (await row(ada)).sessionVersion;

    expect(await changeUserAsAdmin(db, root, ada.id, { blocked: true }, "192.0.2.1")).toEqual({
      id: ada.id,
      username: "ada",
      isAdmin: false,
      blocked: true,
      pendingApproval: false,
    });

    const after = await row(ada);
    expect(after.blockedAt).not.toBeNull();
    expect(after.sessionVersion).toBe(version + 1);
    expect(await signIn(ada)).toEqual({ ok: false, reason: "blocked" });
    // A wrong password is still only "invalid": being blocked is said to someone who knows the password.
    expect(await signIn(ada, "a wrong guess")).toEqual({ ok: false, reason: "invalid" });
    expect(await authorizeProxy(db, { kind: "pat", agentId: "no-such-agent", token: pat.token })).toEqual({
      allowed: false,
      status: 401,
      reason: "the owner of this personal access token is blocked",
    });
    expect(await authorizeProxy(db, { kind: "ci", agentId: "no-such-agent", token: ci.token })).toEqual({
      allowed: false,
      status: 401,
      reason: "the user who started this CI job is blocked",
    });
    expect(await apiCall()).toMatchObject({
      ok: false,
      status: 401,
      error: "The owner of this personal access token (script) is blocked",
    });
    expect(streamSignal.aborted).toBe(true);
    expect(bystander.aborted).toBe(false);
    request.abort();
    bystanderRequest.abort();
    expect(await db.auditEvent.findFirst({ where: { action: "user.blocked", targetId: ada.id } })).toMatchObject({
      actorId: root.id,
      ip: "192.0.2.1",
    });

    await changeUserAsAdmin(db, root, ada.id, { blocked: false });
    expect((await row(ada)).blockedAt).toBeNull();
    expect((await signIn(ada)).ok).toBe(true);
    expect((await apiCall()).ok).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "user.unblocked", targetId: ada.id } })).toBe(1);
  });

  it("an open stream also stops when the user's sessions are ended, and not before", async () => {
    const request = new AbortController();
    const signal = await sessionBoundSignal(db, bob.id, request.signal, 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(signal.aborted).toBe(false);
    await db.user.update({ where: { id: bob.id }, data: { sessionVersion: { increment: 1 } } });
    await expect.poll(() => signal.aborted, { timeout: 10_000 }).toBe(true);
    request.abort();
  });

  it("one re-check serves all of a user's streams, and a stream leaves it when its request ends", async () => {
    const before = watchedStreams();
    const tabs = [new AbortController(), new AbortController(), new AbortController()];
    const signals = await Promise.all(tabs.map((t) => sessionBoundSignal(db, ada.id, t.signal, 600_000)));
    expect(watchedStreams()).toEqual({ users: before.users + 1, streams: before.streams + 3 });
    tabs[0]!.abort();
    expect(signals[0]!.aborted).toBe(true);
    expect(watchedStreams().streams).toBe(before.streams + 2);
    // Ending the user's sessions here ends the other two at once, without waiting for a re-check.
    await revokeSessions(db, ada, ada.id);
    expect(signals.map((s) => s.aborted)).toEqual([true, true, true]);
    expect(watchedStreams()).toEqual(before);
  });

  it("administrators cannot block themselves, and the last administrator keeps the role", async () => {
    await expect(changeUserAsAdmin(db, root, root.id, { blocked: true })).rejects.toThrow(
      new Invalid("You cannot block yourself: ask another administrator", "blocked"),
    );
    await expect(changeUserAsAdmin(db, root, root.id, { isAdmin: false })).rejects.toThrow(Conflict);
    await expect(changeUserAsAdmin(db, root, root.id, { isAdmin: false })).rejects.toThrow(
      "@root is the last administrator: make someone else an administrator first",
    );
    expect((await row(root)).isAdmin).toBe(true);

    // With a second administrator, root may step down; then bob is the last one and cannot be blocked.
    await changeUserAsAdmin(db, root, bob.id, { isAdmin: true });
    const bobAdmin = { ...bob, isAdmin: true };
    await changeUserAsAdmin(db, root, root.id, { isAdmin: false });
    expect((await row(root)).isAdmin).toBe(false);
    await expect(changeUserAsAdmin(db, bobAdmin, bob.id, { isAdmin: false })).rejects.toThrow(Conflict);
    await changeUserAsAdmin(db, bobAdmin, root.id, { isAdmin: true });
    // A blocked administrator does not count: blocking root leaves bob the only active one.
    await changeUserAsAdmin(db, bobAdmin, root.id, { blocked: true });
    await expect(changeUserAsAdmin(db, bobAdmin, bob.id, { isAdmin: false })).rejects.toThrow(Conflict);
    await changeUserAsAdmin(db, bobAdmin, root.id, { blocked: false });
    expect(
      (await db.auditEvent.findMany({ where: { action: { in: ["user.admin_granted", "user.admin_removed"] } } })).map(
        (e) => [e.action, e.targetId],
      ),
    ).toEqual([
      ["user.admin_granted", bob.id],
      ["user.admin_removed", root.id],
      ["user.admin_granted", root.id],
    ]);
  });

  it("others are told the user does not exist, and bad input changes nothing", async () => {
    await expect(changeUserAsAdmin(db, ada, bob.id, { blocked: true })).rejects.toThrow(NotFound);
    await expect(changeUserAsAdmin(db, root, "no-such-user", { blocked: true })).rejects.toThrow(NotFound);
    await expect(changeUserAsAdmin(db, root, ada.id, {})).rejects.toThrow(
      "Say what to change: blocked, isAdmin or approved",
    );
    await expect(changeUserAsAdmin(db, root, ada.id, { blocked: "yes" })).rejects.toThrow(
      "blocked must be true or false",
    );
    await expect(changeUserAsAdmin(db, root, ada.id, { isAdmin: true, extra: 1 })).rejects.toThrow(Invalid);
    const a = await row(ada);
    expect([a.isAdmin, a.blockedAt]).toEqual([false, null]);
  });
});
