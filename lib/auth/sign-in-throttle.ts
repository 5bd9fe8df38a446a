// Sign-in throttling. Failed password checks are counted per account (the e-mail as typed, whether or
// not such an account exists, so the answer never tells) and per client address. Past a few failures
// the key is locked for a minute, doubling with each further failure up to 15 minutes; a success clears
// the account's count. Counters and locks live in the database (rate-limiter-flexible's Prisma store,
// table SignInLimit) so that every web replica sees the same ones.
import { createHash } from "node:crypto";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import type { Db } from "@/lib/db/client";

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
function storedKey(key: ThrottleKey): string {
  return key.scope === "account" ? createHash("sha256").update(key.value).digest("base64url") : key.value;
}

export class SignInThrottle {
  private readonly failures: RateLimiterPrisma;
  private readonly locks: RateLimiterPrisma;

  constructor(db: Db) {
    // The failure count never "runs out" by itself (penalty only counts); locks are set with block().
    this.failures = new RateLimiterPrisma({
      storeClient: db,
      tableName: "signInLimit",
      keyPrefix: "failures",
      points: 1_000_000,
      duration: FAILURE_WINDOW_SECONDS,
    });
    this.locks = new RateLimiterPrisma({
      storeClient: db,
      tableName: "signInLimit",
      keyPrefix: "lock",
      points: 1,
      duration: MAX_LOCK_SECONDS,
      clearExpiredByTimeout: false,
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

const throttles = new WeakMap<Db, SignInThrottle>();

/** The process's throttle for this database (its limiters hold a clean-up timer each: one set per database). */
export function signInThrottle(db: Db): SignInThrottle {
  let t = throttles.get(db);
  if (!t) throttles.set(db, (t = new SignInThrottle(db)));
  return t;
}
