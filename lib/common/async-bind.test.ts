import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { installLeanAsyncResourceBind } from "./async-bind";

const nodeBind = AsyncResource.prototype.bind;
const nodeHadAccessor =
  Object.getOwnPropertyDescriptor(
    new AsyncResource("t").bind(() => undefined),
    "asyncResource",
  ) !== undefined;

describe("AsyncResource#bind without the deprecated accessor", () => {
  afterAll(() => {
    AsyncResource.prototype.bind = nodeBind;
  });
  const installed = installLeanAsyncResourceBind();

  it("replaces Node's bind only where Node's adds the asyncResource accessor", () => {
    expect(installed).toBe(nodeHadAccessor);
    expect(
      Object.getOwnPropertyDescriptor(
        new AsyncResource("t").bind(() => undefined),
        "asyncResource",
      ),
    ).toBe(undefined);
  });

  it("runs the function in the context it was bound in, with its this, arguments and length", () => {
    const als = new AsyncLocalStorage<string>();
    function add(this: unknown, a: number, b: number) {
      return `${als.getStore() ?? "none"} ${((this as { base?: number } | undefined)?.base ?? 0) + a + b}`;
    }
    const bound = als.run("at bind", () => new AsyncResource("t").bind(add));
    const withThis = als.run("at bind", () => AsyncResource.bind(add, "t", { base: 100 }));
    const viaStatic = als.run("at bind", () => AsyncResource.bind(add));
    als.run("at call", () => {
      expect(bound(1, 2)).toBe("at bind 3");
      expect(bound.call({ base: 10 }, 1, 2)).toBe("at bind 13");
      expect(withThis(1, 2)).toBe("at bind 103");
      expect(viaStatic(1, 2)).toBe("at bind 3");
    });
    expect(bound.length).toBe(2);
    expect(() => new AsyncResource("t").bind(42 as unknown as () => void)).toThrow(TypeError);
  });

  it("keeps HTTP/2 client requests working, their events in the request's context", async () => {
    const server = http2.createServer((req, res) => res.end(`you asked for ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const als = new AsyncLocalStorage<string>();
      const ask = (path: string) =>
        als.run(path, () => {
          return new Promise<{ body: string; store: string | undefined }>((resolve, reject) => {
            const stream = session.request({ ":path": path }, { endStream: true });
            let body = "";
            let store: string | undefined;
            stream.on("response", () => (store = als.getStore()));
            stream.on("data", (b: Buffer) => (body += b.toString()));
            stream.on("end", () => resolve({ body, store }));
            stream.on("error", reject);
          });
        });
      const answers = await Promise.all(["/a", "/b", "/c"].map(ask));
      expect(answers).toEqual([
        { body: "you asked for /a", store: "/a" },
        { body: "you asked for /b", store: "/b" },
        { body: "you asked for /c", store: "/c" },
      ]);
    } finally {
      session.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
