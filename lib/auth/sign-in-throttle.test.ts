import { describe, expect, it } from "vitest";
import { clientAddress } from "./sign-in";
import { FREE_FAILURES, lockSeconds, MAX_LOCK_SECONDS } from "./sign-in-throttle";

describe("lockSeconds", () => {
  it("lets the first failures go, then locks for a minute, doubling to at most 15 minutes", () => {
    const free = FREE_FAILURES.account;
    expect([1, 2, 3, 4].map((n) => lockSeconds(n, free))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 50].map((n) => lockSeconds(n, free))).toEqual([
      60,
      120,
      240,
      480,
      MAX_LOCK_SECONDS,
      MAX_LOCK_SECONDS,
      MAX_LOCK_SECONDS,
    ]);
  });
});

describe("clientAddress", () => {
  it("takes the entry the nearest proxy appended, never a client-chosen first one", () => {
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" })).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ "x-forwarded-for": "::1" }))).toBe("::1");
    expect(clientAddress({})).toBeUndefined();
    expect(clientAddress(undefined)).toBeUndefined();
    expect(clientAddress({ "x-forwarded-for": "x".repeat(100) })).toBeUndefined();
  });
});
