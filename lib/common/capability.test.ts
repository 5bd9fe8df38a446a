import pino from "pino";
import { describe, expect, it } from "vitest";
import { startCapabilities, type Capability } from "./capability";

type Ctx = { log: pino.Logger; events: string[] };

function capability(
  name: string,
  opts: { port?: number; fails?: boolean } = {},
): Capability<Ctx, { ports: number[]; [k: string]: unknown }> {
  return {
    name,
    start(ctx) {
      ctx.events.push(`start ${name} as ${String(ctx.log.bindings().capability)}`);
      if (opts.fails) throw new Error(`${name} cannot start`);
      return {
        stop: () => void ctx.events.push(`stop ${name}`),
        report: opts.port ? { [name]: opts.port } : undefined,
      };
    },
  };
}

describe("startCapabilities", () => {
  it("starts the list in order with a child logger each, merges their reports, and stops them in reverse", async () => {
    const ctx: Ctx = { log: pino({ enabled: false }), events: [] };
    const running = await startCapabilities(
      [capability("a", { port: 1 }), capability("b"), capability("c", { port: 3 })],
      ctx,
    );
    expect(running.report).toEqual({ a: 1, c: 3 });
    await running.stop();
    expect(ctx.events).toEqual(["start a as a", "start b as b", "start c as c", "stop c", "stop b", "stop a"]);
  });

  it("a capability that fails to start stops those started before it, in reverse, and the error is thrown", async () => {
    const ctx: Ctx = { log: pino({ enabled: false }), events: [] };
    await expect(
      startCapabilities([capability("a"), capability("b"), capability("c", { fails: true }), capability("d")], ctx),
    ).rejects.toThrow("c cannot start");
    expect(ctx.events).toEqual(["start a as a", "start b as b", "start c as c", "stop b", "stop a"]);
  });

  it("stopping twice stops each capability once", async () => {
    const ctx: Ctx = { log: pino({ enabled: false }), events: [] };
    const running = await startCapabilities([capability("a")], ctx);
    await Promise.all([running.stop(), running.stop()]);
    expect(ctx.events.filter((e) => e.startsWith("stop"))).toEqual(["stop a"]);
  });
});
