// Sign-up under the administrator's control against the real databases: the first account is accepted
// and administers the installation whatever the policy; closed, domain-restricted and approval modes;
// single-use invite links that expire, stored hashed and consumed once even by two racing sign-ups.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { hashToken } from "@/lib/tokens/tokens";
import { changeUserAsAdmin } from "./admin-users";
import type { CurrentUser } from "./session";
import { signInWithPassword } from "./sign-in";
import { signInThrottle } from "./sign-in-throttle";
import {
  createInvite,
  INVITE_TOKEN_PREFIX,
  inviteProblem,
  listInvites,
  openInvites,
  revokeInvite,
  setSignUpPolicy,
  signUpPolicy,
} from "./sign-up-policy";
import { signUp } from "./users";

describe.each(["sqlite", "postgresql"] as const)("sign-up policy on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let root: CurrentUser;

  const form = (username: string, email = `${username}@example.com`, invite?: string) => ({
    name: username,
    username,
    email,
    password: `${username} password 1`,
    ...(invite ? { invite } : {}),
  });
  const exists = async (username: string) => (await db.user.count({ where: { username } })) === 1;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("the first account is accepted and becomes the administrator even when sign-up is closed", async () => {
    expect(await signUpPolicy(db)).toEqual({ mode: "open", domains: [] });
    await db.instanceSetting.create({ data: { key: "sign_up", value: JSON.stringify({ mode: "closed" }) } });
    const r = await signUp(db, form("root"));
    expect(r).toMatchObject({ ok: true, user: { isAdmin: true, pendingApproval: false } });
    if (!r.ok) throw new Error("unreachable");
    root = { id: r.user.id, username: "root", name: "root", email: r.user.email, isAdmin: true };
  });

  it("closed: a sign-up without an invite is refused with a clear message and creates nothing", async () => {
    expect(await signUp(db, form("closedout"))).toEqual({
      ok: false,
      status: 403,
      error: "Sign-up is closed on this installation. Ask an administrator for an invite link.",
    });
    expect(await exists("closedout")).toBe(false);
  });

  it("an invite lets one person in, once; it is stored hashed; used, expired and made-up links are refused", async () => {
    const invite = await createInvite(db, root, { expiresInDays: 2 }, "192.0.2.5");
    expect(invite.token.startsWith(INVITE_TOKEN_PREFIX)).toBe(true);
    const row = await db.signUpInvite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).toBe(hashToken(invite.token));
    expect(JSON.stringify(row)).not.toContain(invite.token);
    expect((await openInvites(db)).map((i) => i.id)).toEqual([invite.id]);

    const refused = {
      ok: false,
      status: 403,
      error:
        "This invite link is not valid: it may be mistyped or cut short. Check the link, or ask an administrator for a new one.",
    };
    expect(await signUp(db, form("madeup", undefined, `${INVITE_TOKEN_PREFIX}${"A".repeat(43)}`))).toEqual(refused);
    expect(await signUp(db, form("garbage", undefined, "not a token"))).toEqual(refused);

    // A sign-up that fails for another reason (a taken username) gives the invite back.
    expect(await signUp(db, form("root", "other@example.com", invite.token))).toMatchObject({ ok: false, status: 409 });
    expect((await db.signUpInvite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();

    // Two people racing with the same link: exactly one gets in.
    const [a, b] = await Promise.all([
      signUp(db, form("racer1", undefined, invite.token)),
      signUp(db, form("racer2", undefined, invite.token)),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const winner = a.ok ? a.user : b.ok ? b.user : null;
    expect(await db.signUpInvite.findUniqueOrThrow({ where: { id: invite.id } })).toMatchObject({
      usedById: winner!.id,
    });
    expect(await signUp(db, form("late", undefined, invite.token))).toEqual({
      ok: false,
      status: 403,
      error: "This invite link was already used: each link creates one account. Ask an administrator for a new one.",
    });
    expect(await openInvites(db)).toEqual([]);

    const old = await createInvite(db, root, {});
    await db.signUpInvite.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await signUp(db, form("expired", undefined, old.token))).toEqual({
      ok: false,
      status: 403,
      error: expect.stringMatching(
        /^This invite link expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Ask an administrator for a new one\.$/,
      ),
    });
    expect(await exists("expired")).toBe(false);
  });

  it("an administrator lists invites (never the link) and revokes an open one, audited; its link is refused by name", async () => {
    const revoked = await createInvite(db, root, { expiresInDays: 3 });
    const kept = await createInvite(db, root, {});
    await revokeInvite(db, root, revoked.id, "192.0.2.7");

    const list = await listInvites(db, root);
    expect(JSON.stringify(list)).not.toContain(revoked.token);
    expect(JSON.stringify(list)).not.toContain(kept.token);
    // Open ones first, then the rest newest first, each saying who made it and what became of it.
    expect(list.map((i) => [i.id, i.state])).toEqual([
      [kept.id, "open"],
      [revoked.id, "revoked"],
      [expect.any(String), "expired"],
      [expect.any(String), "used"],
    ]);
    expect(list[0]).toMatchObject({ createdBy: "root", expiresAt: kept.expiresAt.toISOString(), closedBy: null });
    expect(list[1]).toMatchObject({ createdBy: "root", closedBy: "root", closedAt: expect.any(String) });
    expect(list[3]!.closedBy).toMatch(/^racer[12]$/);
    expect((await openInvites(db)).map((i) => i.id)).toEqual([kept.id]);

    const revokedMessage = "This invite link was revoked by an administrator. Ask an administrator for a new one.";
    expect(await inviteProblem(db, revoked.token)).toBe(revokedMessage);
    expect(await inviteProblem(db, kept.token)).toBeNull();
    expect(await signUp(db, form("afterrevoke", undefined, revoked.token))).toEqual({
      ok: false,
      status: 403,
      error: revokedMessage,
    });
    expect(await exists("afterrevoke")).toBe(false);

    const audit = await db.auditEvent.findMany({ where: { action: "instance.invite_revoked" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: root.id, ip: "192.0.2.7" });
    expect(JSON.parse(audit[0]!.details) as unknown).toMatchObject({ inviteId: revoked.id });

    // Twice, a used one, a made-up id, or by someone who is not an administrator: refused, nothing changes.
    await expect(revokeInvite(db, root, revoked.id)).rejects.toBeInstanceOf(Conflict);
    const used = list[3]!.id;
    await expect(revokeInvite(db, root, used)).rejects.toBeInstanceOf(Conflict);
    await expect(revokeInvite(db, root, "no-such-invite")).rejects.toBeInstanceOf(NotFound);
    await expect(revokeInvite(db, { ...root, isAdmin: false }, kept.id)).rejects.toBeInstanceOf(NotFound);
    await expect(listInvites(db, { ...root, isAdmin: false })).rejects.toBeInstanceOf(NotFound);
    expect(await db.auditEvent.count({ where: { action: "instance.invite_revoked" } })).toBe(1);

    // The kept link still lets one person in.
    expect(await signUp(db, form("kept", undefined, kept.token))).toMatchObject({ ok: true });
  });

  it("e-mail domains: listed domains sign up, others are told which domains are open", async () => {
    await setSignUpPolicy(db, root, { mode: "domains", domains: ["Example.COM", " corp.example.org "] }, "192.0.2.5");
    expect(await signUpPolicy(db)).toEqual({ mode: "domains", domains: ["example.com", "corp.example.org"] });
    expect(await signUp(db, form("inside", "inside@corp.example.org"))).toMatchObject({ ok: true });
    expect(await signUp(db, form("outside", "outside@evil.example.net"))).toEqual({
      ok: false,
      status: 403,
      error:
        "Sign-up is limited to e-mail addresses at example.com, corp.example.org. Ask an administrator for an invite link.",
      field: "email",
    });
    // A look-alike address whose domain only ends with a listed one is refused.
    expect(await signUp(db, form("lookalike", "x@notexample.com"))).toMatchObject({ ok: false, status: 403 });
    expect(await exists("outside")).toBe(false);
    expect(
      await db.auditEvent.findFirst({
        where: { action: "instance.sign_up_policy_changed" },
        orderBy: { createdAt: "desc" },
      }),
    ).toMatchObject({
      actorId: root.id,
      details: JSON.stringify({ mode: "domains", domains: "example.com, corp.example.org" }),
    });
  });

  it("approval: the account waits and cannot sign in until an administrator approves it", async () => {
    await setSignUpPolicy(db, root, { mode: "approval" });
    const r = await signUp(db, form("waiting"));
    expect(r).toMatchObject({ ok: true, user: { pendingApproval: true, isAdmin: false } });
    if (!r.ok) throw new Error("unreachable");
    const signIn = () =>
      signInWithPassword(db, signInThrottle(db), { email: "waiting@example.com", password: "waiting password 1" });
    expect(await signIn()).toEqual({ ok: false, reason: "pending" });
    await changeUserAsAdmin(db, root, r.user.id, { approved: true });
    expect((await signIn()).ok).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "user.approved", targetId: r.user.id } })).toBe(1);
  });

  it("only administrators change the policy or create invites, and bad settings change nothing", async () => {
    const ada = await db.user.findUniqueOrThrow({ where: { username: "inside" } });
    const notAdmin: CurrentUser = {
      id: ada.id,
      username: ada.username,
      name: ada.name,
      email: ada.email,
      isAdmin: false,
    };
    await expect(setSignUpPolicy(db, notAdmin, { mode: "open" })).rejects.toThrow(NotFound);
    await expect(createInvite(db, notAdmin, {})).rejects.toThrow(NotFound);
    await expect(setSignUpPolicy(db, root, { mode: "domains", domains: [] })).rejects.toThrow(
      new Invalid("Name at least one e-mail domain", "domains"),
    );
    await expect(setSignUpPolicy(db, root, { mode: "domains", domains: ["not a domain"] })).rejects.toThrow(
      "Enter domains like example.com",
    );
    await expect(setSignUpPolicy(db, root, { mode: "everyone" })).rejects.toThrow(
      "Sign-up mode must be one of: open, domains, approval, closed",
    );
    await expect(createInvite(db, root, { expiresInDays: 90 })).rejects.toThrow("An invite lives at most 30 days");
    expect(await signUpPolicy(db)).toEqual({ mode: "approval", domains: [] });
  });
});
