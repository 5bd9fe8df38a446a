import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("doubles per failed attempt, between half and all of the ceiling", () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1_000);
    expect(backoffDelay(3, () => 0)).toBe(2_000);
    expect(backoffDelay(3, () => 1)).toBe(4_000);
  });
  it("never exceeds the cap", () => {
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_CAP_MS);
  });
  it("spreads agents out (jitter)", () => {
    const values = new Set(Array.from({ length: 20 }, () => backoffDelay(4)));
    expect(values.size).toBeGreaterThan(10);
  });
});

describe("backoffDelay with limits of its own", () => {
  it("starts from the given base and stops at the given cap", () => {
    expect(backoffDelay(1, () => 1, { baseMs: 500, capMs: 5_000 })).toBe(500);
    expect(backoffDelay(2, () => 0, { baseMs: 500, capMs: 5_000 })).toBe(500);
    expect(backoffDelay(20, () => 1, { baseMs: 500, capMs: 5_000 })).toBe(5_000);
  });
});
