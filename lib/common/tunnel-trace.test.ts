import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

/** A fresh copy of the module, which reads TETHER_TUNNEL_TRACE at its first traceHop call. */
const load = async () => {
  vi.resetModules();
  return import("./tunnel-trace");
};

describe("tunnel trace", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("records nothing and writes no file when TETHER_TUNNEL_TRACE is unset", async () => {
    vi.stubEnv("TETHER_TUNNEL_TRACE", "");
    const { traceHop } = await load();
    expect(traceHop("kas", "/api/v1/pods")).toBeNull();
  });

  it("appends one line per request with its moments and per-flow counts, in order", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tether-trace-")), "t.jsonl");
    vi.stubEnv("TETHER_TUNNEL_TRACE", file);
    const { traceHop, readTrace } = await load();
    const t = traceHop("agent", "/api/v1/namespaces/a/configmaps")!;
    t.mark("upstream-header");
    t.flow("from-apiserver", 100);
    t.flow("from-apiserver", 50);
    t.flow("to-kas", 150);
    t.done();
    t.done(); // once only
    const [rec, ...rest] = readTrace(file);
    expect(rest).toEqual([]);
    expect(rec).toMatchObject({ hop: "agent", path: "/api/v1/namespaces/a/configmaps" });
    expect(rec!.flows["from-apiserver"]).toMatchObject({ n: 2, bytes: 150 });
    expect(rec!.flows["to-kas"]).toMatchObject({ n: 1, bytes: 150 });
    const f = rec!.flows["from-apiserver"]!;
    expect(rec!.start).toBeLessThanOrEqual(rec!.marks["upstream-header"]!);
    expect(f.first).toBeLessThanOrEqual(f.last);
    expect(f.last).toBeLessThanOrEqual(rec!.marks.done!);
  });
});
