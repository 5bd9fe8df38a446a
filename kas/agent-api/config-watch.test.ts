// The configuration long poll's waiting rules, on the real in-memory registry: a save of this agent's
// configuration wakes its calls at once (and no other agent's), a deleted agent's calls end, a quiet wait
// runs out, and nothing is left behind.
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryTunnelRegistry } from "../tunnel";
import { AGENT_CONFIG_TOPIC, ConfigWaiters, MAX_CONFIG_WAIT_MS } from "./config-watch";

const saved = (agentId: string) => ({ agentId, kind: "notice" as const, topic: AGENT_CONFIG_TOPIC, payload: "" });

describe("configuration long poll", () => {
  afterEach(() => vi.useRealTimers());

  it("a save wakes the agent's waiting calls at once, and only that agent's", async () => {
    const registry = new MemoryTunnelRegistry(10);
    const waiters = new ConfigWaiters(registry);
    const a1 = waiters.wait("a", 60_000);
    const a2 = waiters.wait("a", 60_000);
    const b = waiters.wait("b", 60_000);
    expect(waiters.size).toBe(3);
    await registry.publishAgentEvent(saved("a"));
    await expect(a1.changed).resolves.toBe(true);
    await expect(a2.changed).resolves.toBe(true);
    expect(waiters.size).toBe(1);
    // Another capability's notice for the same agent wakes nothing.
    await registry.publishAgentEvent({ agentId: "b", kind: "notice", topic: "flux_push", payload: "{}" });
    expect(waiters.size).toBe(1);
    b.cancel();
    await expect(b.changed).resolves.toBe(false);
    expect(waiters.size).toBe(0);
  });

  it("a deleted agent's calls end unchanged; a quiet wait runs out at its time, capped at 10 minutes", async () => {
    vi.useFakeTimers();
    const registry = new MemoryTunnelRegistry(10);
    const waiters = new ConfigWaiters(registry);
    const gone = waiters.wait("gone", 60_000);
    await registry.publishAgentEvent({ agentId: "gone", kind: "deleted" });
    await expect(gone.changed).resolves.toBe(false);

    let quiet: boolean | null = null;
    void waiters.wait("q", 5_000).changed.then((v) => (quiet = v));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(quiet).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(quiet).toBe(false);

    let long: boolean | null = null;
    void waiters.wait("l", 24 * 3600_000).changed.then((v) => (long = v));
    await vi.advanceTimersByTimeAsync(MAX_CONFIG_WAIT_MS);
    expect(long).toBe(false);
    expect(waiters.size).toBe(0);
  });
});
