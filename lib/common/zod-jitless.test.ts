import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** In a fresh process (zod reads its global settings when its core module first loads): what zod did. */
function loadZod(jitless: boolean): { jitless: boolean | undefined; probed: boolean; ok: boolean } {
  const script = `
    const mod = await import(${JSON.stringify(path.resolve("lib/common/zod-jitless.ts"))});
    if (${jitless}) (mod.makeZodJitless ?? mod.default.makeZodJitless)();
    let probed = false;
    globalThis.Function = new Proxy(globalThis.Function, {
      construct(target, args) { probed = true; return Reflect.construct(target, args); },
    });
    const { z } = await import("zod");
    const schema = z.object({ name: z.string(), size: z.number() });
    const ok = schema.safeParse({ name: "a", size: 1 }).success && !schema.safeParse({ name: 1 }).success;
    console.log(JSON.stringify({ jitless: z.config().jitless, probed, ok }));
  `;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!) as { jitless: boolean | undefined; probed: boolean; ok: boolean };
}

describe("zod without its JIT in the browser", () => {
  it("a zod loaded after makeZodJitless reads the setting, never probes new Function, and still validates", () => {
    expect(loadZod(true)).toEqual({ jitless: true, probed: false, ok: true });
    // Without it, zod probes new Function (what the page's CSP reports): the check above can tell.
    expect(loadZod(false)).toMatchObject({ probed: true, ok: true });
  });
});
