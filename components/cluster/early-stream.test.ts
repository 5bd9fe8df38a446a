import { resolveObjectURL } from "node:buffer";
import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EARLY_STREAM_TTL_MS,
  EARLY_STREAM_WORKER,
  earlyStreamScript,
  takeEarlyStream,
  type TakenEarlyStream,
} from "./early-stream";

/** A page's global scope as the inline script sees it, with a fetch that records what was asked. */
function page(answer: () => Response = () => new Response("event: snapshot\ndata: {}\n\n")) {
  const asked: { url: string; init: RequestInit }[] = [];
  const scope: Record<string, unknown> = {
    AbortController,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    fetch: (url: string, init: RequestInit) => {
      asked.push({ url, init });
      return Promise.resolve(answer());
    },
  };
  scope.window = scope;
  return { scope, asked };
}

/** Whether the script has read every chunk pushed so far (two, in the test that asks). */
const drained = (scope: Record<string, unknown>) =>
  ((scope.__tetherEarlyLiveStream as { chunks: unknown[] } | undefined)?.chunks.length ?? 0) >= 2;

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

/** Everything the taken stream hands over until its end. */
function received(early: TakenEarlyStream): Promise<{ text: string; ended: boolean }> {
  return new Promise((resolve) => {
    let text = "";
    early.listen((c) => {
      if (c) text += new TextDecoder().decode(c);
      else resolve({ text, ended: true });
    });
  });
}

/** A response body the test writes to: text chunks, then `null` for its end. */
function pushableBody() {
  let push!: (text: string | null) => void;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      push = (text) => (text === null ? c.close() : c.enqueue(new TextEncoder().encode(text)));
    },
  });
  return { body, push };
}

/**
 * The page takes the stream after the script read two chunks: it gets both at once, in order, then a
 * later chunk as it comes, then the end.
 */
async function takenInOrder(url: string, push: (text: string | null) => void): Promise<void> {
  const early = takeEarlyStream(url)!;
  const got: (string | null)[] = [];
  early.listen((c) => got.push(c && new TextDecoder().decode(c)));
  expect(got).toEqual(["event: snapshot\n", 'data: {"a":1}\n\n']);
  push("event: changes\n");
  await until(() => got.length === 3);
  expect(got[2]).toBe("event: changes\n");
  push(null);
  await until(() => got.length === 4);
  expect(got[3]).toBeNull();
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
    expect(await received(early!)).toEqual({ text: "event: snapshot\ndata: {}\n\n", ended: true });
    expect(takeEarlyStream(url)).toBeNull();
  });

  it("reads the answer while the page loads, hands the page every byte in order, then the rest as it comes, then the end", async () => {
    const url = "/api/agents/a1/live?path=%2Fapi%2Fv1%2Fpods";
    const { body, push } = pushableBody();
    const { scope } = page(() => new Response(body));
    vm.runInNewContext(earlyStreamScript(url), scope);
    push("event: snapshot\n");
    push('data: {"a":1}\n\n');
    await until(() => drained(scope));
    vi.stubGlobal("window", scope);
    await takenInOrder(url, push);
  });

  it("ends at once for an answer with an error status, so the page opens its own stream and learns why", async () => {
    const url = "/api/agents/a1/live?path=x";
    const { scope } = page(() => new Response("no", { status: 403 }));
    vm.runInNewContext(earlyStreamScript(url), scope);
    vi.stubGlobal("window", scope);
    await new Promise((r) => setTimeout(r, 0));
    expect(await received(takeEarlyStream(url)!)).toEqual({ text: "", ended: true });
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

  it("reads in a dedicated worker where the page can start one: the worker fetches the absolute URL, the page gets every byte, and the worker ends with the stream", async () => {
    const url = "/api/agents/a1/live?path=%2Fapi%2Fv1%2Fpods";
    const { body, push } = pushableBody();
    const workerAsked: string[] = [];
    /** What the worker posted: how many chunks in each message, null for the end. */
    const posted: (number | null)[] = [];
    const workers: { source: string; terminated: boolean }[] = [];
    const { scope, asked } = page();
    // A dedicated worker as the browser runs one: its own global scope (with the page's fetch), messages
    // both ways a task later, the script loaded from the blob URL the page made.
    class Worker {
      onmessage: ((e: { data: unknown }) => void) | null = null;
      onerror: (() => void) | null = null;
      private readonly scope: Record<string, unknown>;
      private readonly state = { source: "", terminated: false };
      constructor(blobUrl: string) {
        workers.push(this.state);
        this.scope = {
          fetch: (u: string) => {
            workerAsked.push(u);
            return Promise.resolve(new Response(body));
          },
          setTimeout,
          clearTimeout,
          postMessage: (data: unknown) => {
            posted.push(data === null ? null : (data as unknown[]).length);
            setTimeout(() => {
              if (!this.state.terminated) this.onmessage?.({ data });
            }, 0);
          },
        };
        this.ready = resolveObjectURL(blobUrl)!
          .text()
          .then((source) => {
            this.state.source = source;
            vm.runInNewContext(source, this.scope);
          });
      }
      private ready: Promise<void>;
      postMessage(data: unknown) {
        void this.ready.then(() => (this.scope.onmessage as (e: { data: unknown }) => void)({ data }));
      }
      terminate() {
        this.state.terminated = true;
      }
    }
    Object.assign(scope, { Worker, Blob, URL, location: { href: "https://tether.example/projects/x?kind=pods" } });
    vm.runInNewContext(earlyStreamScript(url), scope);
    push("event: snapshot\n");
    push('data: {"a":1}\n\n');
    await until(() => drained(scope));
    // The page itself asked for nothing; its worker asked for the stream, by its absolute address.
    expect(asked).toEqual([]);
    expect(workerAsked).toEqual([`https://tether.example${url}`]);
    expect(workers.map((w) => w.source)).toEqual([EARLY_STREAM_WORKER]);
    // The two chunks it read in one turn reached the page in one message (one task on the page's thread).
    expect(posted).toEqual([2]);
    vi.stubGlobal("window", scope);
    await takenInOrder(url, push);
    expect(posted).toEqual([2, 1, null]);
    expect(workers[0]!.terminated).toBe(true);
  });

  it("reads on the page when the browser refuses to start the worker", async () => {
    const url = "/api/agents/a1/live?path=x";
    const { scope, asked } = page();
    class Worker {
      constructor() {
        throw new Error("SecurityError: refused by the page's Content Security Policy");
      }
    }
    Object.assign(scope, { Worker, Blob, URL, location: { href: "https://tether.example/" } });
    vm.runInNewContext(earlyStreamScript(url), scope);
    expect(asked.map((a) => a.url)).toEqual([url]);
    vi.stubGlobal("window", scope);
    expect(await received(takeEarlyStream(url)!)).toEqual({ text: "event: snapshot\ndata: {}\n\n", ended: true });
  });
});
