import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EARLY_STREAM_TTL_MS, earlyStreamScript, takeEarlyStream } from "./early-stream";

/** A page's global scope as the inline script sees it, with a fetch that records what was asked. */
function page() {
  const asked: { url: string; init: RequestInit }[] = [];
  const scope: Record<string, unknown> = {
    AbortController,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    fetch: (url: string, init: RequestInit) => {
      asked.push({ url, init });
      return Promise.resolve(new Response("event: snapshot\ndata: {}\n\n"));
    },
  };
  scope.window = scope;
  return { scope, asked };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the cluster tab's early live stream", () => {
  it("asks for exactly the view's stream, once, as an event stream, and the page takes it over once", async () => {
    const url = "/api/agents/a1/live?path=%2Fapi%2Fv1%2Fnamespaces&path=%2Fapi%2Fv1%2Fpods";
    const { scope, asked } = page();
    vm.runInNewContext(earlyStreamScript(url), scope);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.url).toBe(url);
    expect(asked[0]!.init.headers).toEqual({ accept: "text/event-stream" });
    vi.stubGlobal("window", scope);
    const early = takeEarlyStream(url);
    expect(early).not.toBeNull();
    expect(await (await early!.response).text()).toContain("event: snapshot");
    expect(takeEarlyStream(url)).toBeNull();
  });

  it("is cancelled when the page opens another stream first, which it then opens itself", () => {
    const { scope, asked } = page();
    vm.runInNewContext(earlyStreamScript("/api/agents/a1/live?path=%2Fapi%2Fv1%2Fpods"), scope);
    vi.stubGlobal("window", scope);
    expect(takeEarlyStream("/api/agents/a1/live?path=%2Fapi%2Fv1%2Fconfigmaps")).toBeNull();
    expect((asked[0]!.init.signal as AbortSignal).aborted).toBe(true);
    expect(takeEarlyStream("/api/agents/a1/live?path=%2Fapi%2Fv1%2Fpods")).toBeNull();
  });

  it("is cancelled when nothing takes it within its time, releasing the connection", () => {
    vi.useFakeTimers();
    const { scope, asked } = page();
    vm.runInNewContext(earlyStreamScript("/api/agents/a1/live?path=x"), scope);
    vi.advanceTimersByTime(EARLY_STREAM_TTL_MS - 1);
    expect((asked[0]!.init.signal as AbortSignal).aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect((asked[0]!.init.signal as AbortSignal).aborted).toBe(true);
    vi.stubGlobal("window", scope);
    expect(takeEarlyStream("/api/agents/a1/live?path=x")).toBeNull();
  });

  it("cannot be broken out of by what a link puts in the URL", () => {
    const url = `/api/agents/a1/live?path=</script><script>alert(1)</script>"'\u2028`;
    const script = earlyStreamScript(url);
    expect(script).not.toMatch(/<\/script/i);
    const { scope, asked } = page();
    vm.runInNewContext(script, scope);
    expect(asked.map((a) => a.url)).toEqual([url]);
  });
});
