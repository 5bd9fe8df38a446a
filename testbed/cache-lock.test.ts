import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withCacheLock } from "./cache-lock";

describe("withCacheLock", () => {
  let dir: string;
  const saved = process.env.TETHER_TESTBED_CACHE;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-cache-lock-"));
    process.env.TETHER_TESTBED_CACHE = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TETHER_TESTBED_CACHE;
    else process.env.TETHER_TESTBED_CACHE = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("builds once when several callers ask at the same time; the others reuse the result", async () => {
    const artifact = () => path.join(dir, "artifact");
    let builds = 0;
    const messages: string[] = [];
    const call = () =>
      withCacheLock(
        "artifact",
        () => fs.existsSync(artifact()),
        async () => {
          builds++;
          await new Promise((r) => setTimeout(r, 300));
          fs.writeFileSync(artifact(), "built");
          return "built";
        },
        () => "reused",
        (m) => messages.push(m),
      );
    const results = await Promise.all([call(), call(), call()]);
    expect(builds).toBe(1);
    expect(results.sort()).toEqual(["built", "reused", "reused"]);
    expect(messages.some((m) => m.includes("another process is building artifact"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "artifact.lock"))).toBe(false);
  }, 60_000);

  it("releases the lock when the build fails, so the next caller builds", async () => {
    await expect(
      withCacheLock(
        "broken",
        () => false,
        () => Promise.reject(new Error("go build failed")),
        () => "reused",
        () => {},
      ),
    ).rejects.toThrow("go build failed");
    const again = await withCacheLock(
      "broken",
      () => false,
      () => Promise.resolve("built"),
      () => "reused",
      () => {},
    );
    expect(again).toBe("built");
  }, 60_000);
});
