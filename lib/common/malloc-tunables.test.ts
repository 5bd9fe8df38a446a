import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GLIBC_TUNABLES, withMallocTunables } from "./malloc-tunables";

const root = path.resolve(__dirname, "..", "..");

describe("malloc tunables", () => {
  it.each(["kas", "agent", "web"])("the %s image runs with them", (image) => {
    const dockerfile = fs.readFileSync(path.join(root, "deploy", image, "Dockerfile"), "utf8");
    // The runtime stage (after the last FROM) sets them.
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(runtime).toMatch(new RegExp(`^ENV .*\\bGLIBC_TUNABLES=${GLIBC_TUNABLES.replace(/\./g, "\\.")}(\\s|$)`, "m"));
  });

  it("leaves an operator's own setting alone", () => {
    expect(withMallocTunables({ A: "1" })).toEqual({ A: "1", GLIBC_TUNABLES });
    expect(withMallocTunables({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" })).toEqual({
      GLIBC_TUNABLES: "glibc.malloc.arena_max=2",
    });
  });
});
