// Sign-in throttling. Failed password checks are counted per account (the e-mail as typed, whether or
// not such an account exists, so the answer never tells) and per client address. Past a few failures
// the key is locked for a minute, doubling with each further failure up to 15 minutes; a success clears
// the account's count. Counters and locks live where every web replica sees the same ones: in the
// database (rate-limiter-flexible's Prisma store, table SignInLimit), or in Redis when TETHER_REDIS_URL
// is set (its Redis store, keys tether:sign-in:*), with the database as the fallback while Redis is away.
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { RateLimiterPrisma, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const log = logger.child({ capability: "sign-in-throttle" });

export type ThrottleScope = "account" | "address";

export interface ThrottleKey {
  scope: ThrottleScope;
  /** The normalized e-mail (account) or the client's IP address. */
  value: string;
}

/** Failures a key may have before it is locked: an address is shared by many people behind one NAT. */
export const FREE_FAILURES: Readonly<Record<ThrottleScope, number>> = { account: 5, address: 30 };
export const FIRST_LOCK_SECONDS = 60;
export const MAX_LOCK_SECONDS = 15 * 60;
/** Failures are counted in a window that starts with the first one. */
export const FAILURE_WINDOW_SECONDS = 60 * 60;

/** How long to lock a key after its `failures`-th failure in the window: 0 before the limit. */
export function lockSeconds(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(FIRST_LOCK_SECONDS * 2 ** (failures - freeFailures), MAX_LOCK_SECONDS);
}

export interface ImposedLock {
  key: ThrottleKey;
  failures: number;
  until: Date;
}

// E-mails are stored hashed: the table needs to match them, not to read them.
export function storedKey(key: ThrottleKey): string {
  return key.scope === "account" ? createHash("sha256").update(key.value).digest("base64url") : key.value;
}

export const REDIS_KEY_PREFIX = "tether:sign-in";

export class SignInThrottle {
  private readonly failures: RateLimiterAbstract;
  private readonly locks: RateLimiterAbstract;

  /** With `redis`, the database holds nothing while Redis answers, and takes over while it does not. */
  constructor(db: Db, redis?: Redis) {
    // The failure count never "runs out" by itself (penalty only counts); locks are set with block().
    this.failures = sharedLimiter(db, redis, {
      keyPrefix: "failures",
      points: 1_000_000,
      duration: FAILURE_WINDOW_SECONDS,
    });
    this.locks = sharedLimiter(db, redis, {
      keyPrefix: "lock",
      points: 1,
      duration: MAX_LOCK_SECONDS,
      keepExpired: true,
    });
  }

  /** The moment the last of these keys' locks ends, or null when none is locked. */
  async lockedUntil(keys: readonly ThrottleKey[]): Promise<Date | null> {
    const ends = await Promise.all(
      keys.map(async (k) => {
        const res = await this.locks.get(`${k.scope}:${storedKey(k)}`);
        return res && res.consumedPoints > 1 && res.msBeforeNext > 0 ? Date.now() + res.msBeforeNext : 0;
      }),
    );
    const last = Math.max(0, ...ends);
    return last > 0 ? new Date(last) : null;
  }

  /** Counts a failure against each key; returns the locks it imposed, longest first. */
  async recordFailure(keys: readonly ThrottleKey[]): Promise<ImposedLock[]> {
    const imposed: ImposedLock[] = [];
    for (const key of keys) {
      const id = `${key.scope}:${storedKey(key)}`;
      const { consumedPoints } = await this.failures.penalty(id, 1);
      const seconds = lockSeconds(consumedPoints, FREE_FAILURES[key.scope]);
      if (seconds > 0) {
        await this.locks.block(id, seconds);
        imposed.push({ key, failures: consumedPoints, until: new Date(Date.now() + seconds * 1000) });
      }
    }
    return imposed.sort((a, b) => b.until.getTime() - a.until.getTime());
  }

  /** A right password: the account starts afresh (its address keeps counting, against password spraying). */
  async recordSuccess(account: ThrottleKey): Promise<void> {
    await this.failures.delete(`${account.scope}:${storedKey(account)}`);
  }
}

export interface SharedLimiterOptions {
  /** Names the counter: the table's key prefix, and Redis's under tether:sign-in. */
  keyPrefix: string;
  points: number;
  duration: number;
  /** Expired rows stay until read (a lock's end is read from its row). */
  keepExpired?: boolean;
}

/**
 * A rate-limiter-flexible limiter that every web replica shares: rows of SignInLimit, or with `redis`
 * keys under tether:sign-in, where every call that Redis cannot answer (down, unreachable, too slow) is
 * answered by the database limiter of the same name instead (the library's insurance limiter).
 */
export function sharedLimiter(db: Db, redis: Redis | undefined, o: SharedLimiterOptions): RateLimiterAbstract {
  const common = { keyPrefix: o.keyPrefix, points: o.points, duration: o.duration };
  const inDb = new RateLimiterPrisma({
    storeClient: db,
    tableName: "signInLimit",
    ...common,
    ...(o.keepExpired ? { clearExpiredByTimeout: false } : {}),
  });
  if (!redis) return inDb;
  return new RateLimiterRedis({
    storeClient: redis,
    ...common,
    keyPrefix: `${REDIS_KEY_PREFIX}:${o.keyPrefix}`,
    insuranceLimiter: inDb,
  });
}

const redisUrl = z.url({ protocol: /^rediss?$/, error: "expected a redis:// or rediss:// URL" });

/** TETHER_REDIS_URL, checked: undefined when unset, a clear error when it is not a Redis URL. */
export function throttleRedisUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.TETHER_REDIS_URL?.trim();
  if (!raw) return undefined;
  const parsed = redisUrl.safeParse(raw);
  if (!parsed.success) throw new Error(`TETHER_REDIS_URL: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/**
 * A Redis connection for the throttle. Commands fail at once while Redis is away (no offline queue, no
 * retries, a 1 s command timeout), so a sign-in never waits on Redis: the database answers instead. The
 * log says when Redis goes away and when it is back; ioredis reconnects by itself.
 */
export function connectThrottleRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 200, 1_000),
  });
  let away = false;
  redis.on("error", (e: Error) => {
    if (away) return;
    away = true;
    log.warn(
      { err: e.message },
      "Redis cannot be reached: sign-in limits are counted in the database until it is back",
    );
  });
  redis.on("ready", () => {
    if (away) log.info("Redis is reachable again: sign-in limits are counted in Redis");
    away = false;
  });
  return redis;
}

const g = globalThis as unknown as { tetherThrottleRedis?: Redis };
const throttles = new WeakMap<Db, SignInThrottle>();

/** The process's Redis connection for shared limits when TETHER_REDIS_URL is set, else undefined. */
export function limitsRedis(): Redis | undefined {
  const url = throttleRedisUrl();
  if (url) g.tetherThrottleRedis ??= connectThrottleRedis(url);
  return url ? g.tetherThrottleRedis : undefined;
}

/** The process's throttle for this database (its limiters hold a clean-up timer each: one set per database). */
export function signInThrottle(db: Db): SignInThrottle {
  let t = throttles.get(db);
  if (!t) throttles.set(db, (t = new SignInThrottle(db, limitsRedis())));
  return t;
}
