import { describe, expect, it } from "vitest";
import { hashPassword, MAX_QUEUED_HASHES, PasswordHashingBusy, verifyPassword } from "./password";

describe("password hashing under a flood", () => {
  it("answers busy beyond the queue instead of hashing everything at once, and still checks the rest", async () => {
    const stored = await hashPassword("the real one");
    const flood = Array.from({ length: MAX_QUEUED_HASHES + 40 }, () =>
      verifyPassword(stored, "a guess").then(
        (ok) => ok,
        (e: unknown) => e,
      ),
    );
    const results = await Promise.all(flood);
    const busy = results.filter((r) => r instanceof PasswordHashingBusy);
    expect(busy.length).toBeGreaterThanOrEqual(40);
    expect(results.filter((r) => r === false).length).toBeGreaterThanOrEqual(MAX_QUEUED_HASHES - 2);
    // Once the flood has passed, a check runs again.
    await expect(verifyPassword(stored, "the real one")).resolves.toBe(true);
  }, 60_000);
});
