// The registry's rules without processes: idle streams are handed out once, the per-agent limit is
// enforced with a message naming the agent, and a caller waits for an agent that is not there yet.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { AgentBusyError, NoAgentTunnelError, MemoryTunnelRegistry, AgentStreamLimitError } from "./registry";
import { TunnelStream } from "./stream";

/** A stand-in for a gRPC server call: the registry only needs its events and write/end. */
function fakeCall() {
  const e = new EventEmitter() as EventEmitter & {
    write: (m: unknown) => boolean;
    end: () => void;
    writableEnded: boolean;
    destroyed: boolean;
    pause: () => void;
    resume: () => void;
    written: unknown[];
  };
  e.written = [];
  e.writableEnded = false;
  e.destroyed = false;
  e.write = (m) => {
    e.written.push(m);
    return true;
  };
  e.end = () => {
    e.writableEnded = true;
  };
  e.pause = () => undefined;
  e.resume = () => undefined;
  return e;
}

function stream(agentId = "a1", name = "prod") {
  const call = fakeCall();
  // The registry and stream only use the members provided above.
  const s = new TunnelStream(agentId, name, "conn-1", call as unknown as ConstructorParameters<typeof TunnelStream>[3]);
  return { s, call };
}

describe("MemoryTunnelRegistry", () => {
  it("hands each idle stream to exactly one request", async () => {
    const r = new MemoryTunnelRegistry(10);
    const { s } = stream();
    r.add(s);
    expect(await r.acquire("a1", 100)).toBe(s);
    await expect(r.acquire("a1", 50)).rejects.toBeInstanceOf(AgentBusyError);
  });

  it("refuses a stream past the per-agent limit, naming the agent", () => {
    const r = new MemoryTunnelRegistry(2);
    r.add(stream().s);
    r.add(stream().s);
    expect(() => r.add(stream().s)).toThrow(AgentStreamLimitError);
    expect(() => r.add(stream().s)).toThrow(/agent "prod" has all 2 tunnel streams in use/);
  });

  it("fails at once when every stream is active at the limit", async () => {
    const r = new MemoryTunnelRegistry(1);
    r.add(stream().s);
    await r.acquire("a1", 100);
    const t0 = Date.now();
    await expect(r.acquire("a1", 5_000)).rejects.toBeInstanceOf(AgentStreamLimitError);
    expect(Date.now() - t0).toBeLessThan(100);
  });

  it("a request waits for an agent that connects within the wait", async () => {
    const r = new MemoryTunnelRegistry(10);
    const waiting = r.acquire("a1", 2_000);
    const { s } = stream();
    setTimeout(() => r.add(s), 50);
    expect(await waiting).toBe(s);
  });

  it("an agent that never connects: 'not connected', with the last time it was seen", async () => {
    const r = new MemoryTunnelRegistry(10);
    await expect(r.acquire("ghost", 50)).rejects.toThrow(/agent ghost is not connected \(never seen by this kas\)/);
    const { s, call } = stream("a2");
    r.add(s);
    call.emit("end");
    const err = await r.acquire("a2", 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAgentTunnelError);
    expect((err as NoAgentTunnelError).lastSeenMs).toBeGreaterThan(Date.now() - 5_000);
  });

  it("a closed stream leaves the pool and its agent's count", () => {
    const r = new MemoryTunnelRegistry(10);
    const { s, call } = stream();
    r.add(s);
    expect(r.status("a1")).toMatchObject({ connected: true, idle: 1, active: 0 });
    call.emit("error", new Error("reset"));
    expect(r.status("a1")).toMatchObject({ connected: false, idle: 0, active: 0 });
    expect(r.agents()).toEqual([]);
  });

  it("a retired idle stream is no longer offered", async () => {
    const r = new MemoryTunnelRegistry(10);
    const { s, call } = stream();
    r.add(s);
    call.emit("data", { msg: { $case: "retire", value: {} } });
    expect(call.writableEnded).toBe(true);
    await expect(r.acquire("a1", 50)).rejects.toBeInstanceOf(NoAgentTunnelError);
  });

  it("a stream that breaks mid-request fails that request with the agent's name", () => {
    const r = new MemoryTunnelRegistry(10);
    const { s, call } = stream();
    r.add(s);
    let broken = "";
    s.start(
      { requestId: "r1", method: "GET", path: "/version", headers: [], impersonation: undefined, noBody: true },
      { onHeader() {}, onData: () => true, onTrailer() {}, onBroken: (m) => (broken = m) },
    );
    call.emit("error", new Error("connection reset"));
    expect(broken).toMatch(/the tunnel to agent "prod" broke mid-request/);
  });
});
