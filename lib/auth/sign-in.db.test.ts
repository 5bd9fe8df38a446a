// Sign-in throttling against the real databases: counts and locks are rows that every web replica shares.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { signInWithPassword } from "./sign-in";
import { FREE_FAILURES, SignInThrottle } from "./sign-in-throttle";
import { signUp } from "./users";

describe.each(["sqlite", "postgresql"] as const)("sign-in throttling on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let throttle: SignInThrottle;
  const password = "correct horse battery";

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    throttle = new SignInThrottle(db);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function user(name: string): Promise<string> {
    const email = `${name}@example.com`;
    const r = await signUp(db, { name, username: name, email, password });
    expect(r.ok).toBe(true);
    return email;
  }

  const attempt = (email: string, pw: string, address = "192.0.2.1") =>
    signInWithPassword(db, throttle, { email, password: pw, address });

  it("five wrong passwords lock the account for a minute; the right one is refused until the lock ends; the lock is audited", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-30T10:00:00Z") });
    const email = await user("ada");
    for (let i = 1; i < FREE_FAILURES.account; i++)
      expect(await attempt(email, "wrong")).toEqual({ ok: false, reason: "invalid" });
    const fifth = await attempt(email, "wrong");
    expect(fifth).toEqual({ ok: false, reason: "locked", retryAt: new Date("2026-11-30T10:01:00Z") });
    expect(await attempt(email, password)).toMatchObject({ ok: false, reason: "locked" });
    // Any case and spacing of the e-mail is the same account.
    expect(await attempt(` ${email.toUpperCase()} `, password)).toMatchObject({ ok: false, reason: "locked" });

    const audit = await db.auditEvent.findMany({ where: { action: "user.sign_in_locked" } });
    const ada = await db.user.findUniqueOrThrow({ where: { email } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: null, targetType: "user", targetId: ada.id, ip: "192.0.2.1" });
    expect(JSON.parse(audit[0]!.details)).toEqual({
      scope: "account",
      failures: 5,
      lockedUntil: "2026-11-30T10:01:00.000Z",
    });

    vi.setSystemTime(new Date("2026-11-30T10:01:01Z"));
    expect(await attempt(email, password)).toMatchObject({ ok: true, user: { email } });
  });

  it("each further failure doubles the lock, up to 15 minutes", async () => {
    let now = new Date("2026-11-30T11:00:00Z").getTime();
    vi.useFakeTimers({ toFake: ["Date"], now });
    const email = await user("bob");
    const locks: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const r = await attempt(email, "wrong", "192.0.2.2");
      if (r.ok === false && r.reason === "locked") {
        locks.push((r.retryAt.getTime() - now) / 60_000);
        now = r.retryAt.getTime() + 1000;
        vi.setSystemTime(now);
      }
    }
    expect(locks).toEqual([1, 2, 4, 8, 15, 15]);
  });

  it("an unknown e-mail is throttled exactly like a known one, and a right password clears the account's count", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-30T12:00:00Z") });
    const results = [];
    for (let i = 0; i < FREE_FAILURES.account; i++)
      results.push(await attempt("nobody@example.com", "wrong", "192.0.2.3"));
    expect(results.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "locked",
    ]);
    expect(
      await db.auditEvent.count({
        where: { action: "user.sign_in_locked", targetType: "email", targetId: "nobody@example.com" },
      }),
    ).toBe(1);

    const email = await user("carol");
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < FREE_FAILURES.account; i++)
        expect(await attempt(email, "wrong", "192.0.2.4")).toMatchObject({ reason: "invalid" });
      expect(await attempt(email, password, "192.0.2.4")).toMatchObject({ ok: true });
    }
  });

  it("an address that fails across many accounts is locked for every account, other addresses are not", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-30T13:00:00Z") });
    const email = await user("dave");
    for (let i = 1; i < FREE_FAILURES.address; i++)
      expect(await attempt(`spray-${i}@example.com`, "wrong", "198.51.100.7")).toMatchObject({ reason: "invalid" });
    expect(await attempt("spray-last@example.com", "wrong", "198.51.100.7")).toMatchObject({ reason: "locked" });
    expect(await attempt(email, password, "198.51.100.7")).toMatchObject({ ok: false, reason: "locked" });
    expect(await attempt(email, password, "198.51.100.8")).toMatchObject({ ok: true });
    expect(
      await db.auditEvent.count({
        where: { action: "user.sign_in_locked", targetType: "address", targetId: "198.51.100.7" },
      }),
    ).toBe(1);
  });

  it("another web replica (its own throttle on the same database) sees the lock", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-30T14:00:00Z") });
    const email = await user("erin");
    for (let i = 0; i < FREE_FAILURES.account; i++) await attempt(email, "wrong", "192.0.2.5");
    const replica = new SignInThrottle(db);
    expect(await signInWithPassword(db, replica, { email, password, address: "192.0.2.6" })).toMatchObject({
      ok: false,
      reason: "locked",
    });
  });
});
