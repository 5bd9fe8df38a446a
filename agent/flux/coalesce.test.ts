import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Coalescer, type Job } from "./coalesce";

describe("Coalescer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A runner whose every run takes `ms` of (fake) time, remembering what it was given. */
  function recorder(ms: number) {
    const runs: { key: string; job: Job<number>; at: number }[] = [];
    const run = async (key: string, job: Job<number>) => {
      runs.push({ key, job, at: Date.now() });
      await new Promise((r) => setTimeout(r, ms));
    };
    return { runs, run };
  }

  it("turns 100 pushes in one second into a handful of runs, the last push always among them", async () => {
    const { runs, run } = recorder(30);
    let coalesced = 0;
    const c = new Coalescer(run, 500, () => coalesced++);
    for (let i = 1; i <= 100; i++) {
      c.add("repo@main", i);
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(4);
    expect(runs[0]!.job.latest).toBe(1);
    expect(runs.at(-1)!.job.latest).toBe(100);
    // Every push is answered exactly once.
    expect(runs.flatMap((r) => r.job.all)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(coalesced).toBeGreaterThan(90);
    expect(c.busy).toBe(0);
    c.stop();
  });

  it("runs again for a push that arrives while a run is going", async () => {
    const { runs, run } = recorder(100);
    const c = new Coalescer(run, 50);
    c.add("k", 1);
    await vi.advanceTimersByTimeAsync(10);
    c.add("k", 2);
    await vi.advanceTimersByTimeAsync(500);
    expect(runs.map((r) => r.job.all)).toEqual([[1], [2]]);
    // The second run started after the first ended, not during it.
    expect(runs[1]!.at).toBeGreaterThanOrEqual(runs[0]!.at + 100);
    c.stop();
  });

  it("never holds one repository back for another", async () => {
    const { runs, run } = recorder(1_000);
    const c = new Coalescer(run, 500);
    c.add("a", 1);
    c.add("b", 2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.map((r) => r.key)).toEqual(["a", "b"]);
    c.stop();
  });

  it("keeps going after a failed run", async () => {
    let calls = 0;
    const c = new Coalescer(async () => {
      calls++;
      if (calls === 1) throw new Error("API server away");
    }, 10);
    c.add("k", 1);
    await vi.advanceTimersByTimeAsync(1);
    c.add("k", 2);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    c.stop();
  });
});
