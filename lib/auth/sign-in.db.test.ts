// Sign-in throttling against the real databases, and against a real private redis-server: counts and
// locks are rows (or Redis keys) that every web replica shares, with the same answers either way.
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { freePort, PrivateRedis } from "@/testbed/redis";
import { signInWithPassword } from "./sign-in";
import { connectThrottleRedis, FREE_FAILURES, REDIS_KEY_PREFIX, SignInThrottle } from "./sign-in-throttle";
import { signUp } from "./users";

async function ready(redis: Redis): Promise<void> {
  const end = Date.now() + 10_000;
  while (redis.status !== "ready") {
    if (Date.now() > end) throw new Error(`Redis connection still ${redis.status} after 10 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Time passes for Redis too: every sign-in key's time to live shrinks by `ms` (ending those it outlives). */
async function passTimeInRedis(redis: Redis, ms: number): Promise<void> {
  for (const key of await redis.keys(`${REDIS_KEY_PREFIX}:*`)) {
    const left = await redis.pttl(key);
    if (left <= ms) await redis.del(key);
    else await redis.pexpire(key, left - ms);
  }
}

describe.each([
  ["sqlite", "the database"],
  ["postgresql", "the database"],
  ["sqlite", "Redis"],
  ["postgresql", "Redis"],
] as const)("sign-in throttling on %s, counted in %s", (provider, store) => {
  let tdb: TestDatabase;
  let db: Db;
  let throttle: SignInThrottle;
  let redisServer: PrivateRedis | undefined;
  const connections: Redis[] = [];
  const password = "correct horse battery";

  /** A throttle as a web replica has one: with its own Redis connection when counting in Redis. */
  async function replicaThrottle(client: Db): Promise<SignInThrottle> {
    if (!redisServer) return new SignInThrottle(client);
    const redis = connectThrottleRedis(redisServer.url);
    connections.push(redis);
    await ready(redis);
    return new SignInThrottle(client, redis);
  }

  /** Moves the clock on by `ms`, for the database (its rows hold expiry times) and for Redis (its keys' TTLs). */
  async function passTime(ms: number): Promise<void> {
    vi.setSystemTime(Date.now() + ms);
    if (connections[0]) await passTimeInRedis(connections[0], ms);
  }

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    if (store === "Redis") {
      redisServer = new PrivateRedis(await freePort());
      await redisServer.start();
    }
    throttle = await replicaThrottle(db);
  });

  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await redisServer?.stop();
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

    await passTime(61_000);
    expect(await attempt(email, password)).toMatchObject({ ok: true, user: { email } });
  });

  it("each further failure doubles the lock, up to 15 minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-30T11:00:00Z") });
    const email = await user("bob");
    const locks: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const r = await attempt(email, "wrong", "192.0.2.2");
      if (r.ok === false && r.reason === "locked") {
        locks.push((r.retryAt.getTime() - Date.now()) / 60_000);
        await passTime(r.retryAt.getTime() - Date.now() + 1000);
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
    const replica = await replicaThrottle(db);
    expect(await signInWithPassword(db, replica, { email, password, address: "192.0.2.6" })).toMatchObject({
      ok: false,
      reason: "locked",
    });
  });

  it("two replicas, each with its own database client (and Redis connection), add up one count", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-30T15:00:00Z") });
    const email = await user("fred");
    const otherDb = createDb(tdb.target);
    try {
      const a = throttle;
      const b = await replicaThrottle(otherDb);
      const on = (t: SignInThrottle, client: Db, pw: string, address: string) =>
        signInWithPassword(client, t, { email, password: pw, address });
      // Alternating replicas: the fifth failure anywhere is the fifth for the account.
      const answers = [];
      for (let i = 1; i <= FREE_FAILURES.account; i++)
        answers.push(
          await (i % 2 ? on(a, db, "wrong", `192.0.2.${20 + i}`) : on(b, otherDb, "wrong", `192.0.2.${20 + i}`)),
        );
      expect(answers.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
        "invalid",
        "invalid",
        "invalid",
        "invalid",
        "locked",
      ]);
      expect(await on(a, db, password, "192.0.2.40")).toMatchObject({ ok: false, reason: "locked" });
      expect(await on(b, otherDb, password, "192.0.2.41")).toMatchObject({ ok: false, reason: "locked" });
      // One lock, one audit line, whichever replica imposed it.
      const fred = await db.user.findUniqueOrThrow({ where: { email } });
      expect(await db.auditEvent.count({ where: { action: "user.sign_in_locked", targetId: fred.id } })).toBe(1);
      await passTime(61_000);
      expect(await on(b, otherDb, password, "192.0.2.42")).toMatchObject({ ok: true });
    } finally {
      await otherDb.$disconnect();
    }
  });

  it(`counts and locks live in ${store}${store === "Redis" ? " alone while it answers" : ""}`, async () => {
    const rows = await db.signInLimit.count();
    if (store === "Redis") {
      expect(rows).toBe(0);
      expect((await connections[0]!.keys(`${REDIS_KEY_PREFIX}:*`)).length).toBeGreaterThan(0);
    } else {
      expect(rows).toBeGreaterThan(0);
    }
  });
});

describe.each(["sqlite", "postgresql"] as const)("Redis away, sign-in limits on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let redisServer: PrivateRedis;
  const connections: Redis[] = [];
  const password = "correct horse battery";

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
  });

  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await redisServer?.stop();
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("while Redis is down the database counts (shared by the replicas, same answers, at once); once back, Redis counts again", async () => {
    const email = "gina@example.com";
    expect((await signUp(db, { name: "gina", username: "gina", email, password })).ok).toBe(true);
    const otherDb = createDb(tdb.target);
    try {
      const [ra, rb] = [connectThrottleRedis(redisServer.url), connectThrottleRedis(redisServer.url)];
      connections.push(ra, rb);
      await Promise.all([ready(ra), ready(rb)]);
      const a = new SignInThrottle(db, ra);
      const b = new SignInThrottle(otherDb, rb);
      const on = (t: SignInThrottle, client: Db, pw: string) =>
        signInWithPassword(client, t, { email, password: pw, address: "192.0.2.50" });

      // Two failures in Redis, then Redis goes away.
      expect(await on(a, db, "wrong")).toEqual({ ok: false, reason: "invalid" });
      expect(await on(b, otherDb, "wrong")).toEqual({ ok: false, reason: "invalid" });
      expect(await db.signInLimit.count()).toBe(0);
      await redisServer.stop();

      // Each attempt is answered without waiting for Redis; the replicas share the count in the database.
      const started = Date.now();
      const answers = [];
      for (let i = 1; i <= FREE_FAILURES.account; i++)
        answers.push(await (i % 2 ? on(a, db, "wrong") : on(b, otherDb, "wrong")));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(answers.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
        "invalid",
        "invalid",
        "invalid",
        "invalid",
        "locked",
      ]);
      expect(await on(b, otherDb, password)).toMatchObject({ ok: false, reason: "locked" });
      expect(await db.signInLimit.count()).toBeGreaterThan(0);
      expect(await db.auditEvent.count({ where: { action: "user.sign_in_locked" } })).toBe(1);

      // Redis is back (empty: it kept nothing on disk): both replicas count there again.
      await redisServer.start();
      await Promise.all([ready(ra), ready(rb)]);
      const rowsBefore = await db.signInLimit.count();
      expect(await on(a, db, "wrong")).toMatchObject({ ok: false });
      expect(await ra.keys(`${REDIS_KEY_PREFIX}:failures:*`)).toHaveLength(2);
      expect(await db.signInLimit.count()).toBe(rowsBefore);
    } finally {
      await otherDb.$disconnect();
    }
  });
});
