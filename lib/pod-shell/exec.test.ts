// The shell's framing, end to end on loopback: openExec (client-node's Exec and ws over a TunnelConnection)
// against a real WebSocket server speaking the Kubernetes streaming protocol as the API server does; the
// "tunnel" here is a plain HTTP upgrade to it, which is what agentSocket yields (the integration test
// runs the real one through kas and an agent).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import { exitOf, openExec } from "./exec";
import { parseRequestHead, switchingProtocolsHead } from "./tunnel-connection";

interface Seen {
  url: string;
  protocol: string;
  resizes: unknown[];
}

let server: http.Server;
let port = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer();
  const wss = new WebSocketServer({
    server,
    handleProtocols: (offered) =>
      offered.has("v5.channel.k8s.io")
        ? "v5.channel.k8s.io"
        : offered.has("v4.channel.k8s.io")
          ? "v4.channel.k8s.io"
          : false,
    verifyClient: (info, cb) => {
      if (info.req.url?.includes("/pods/locked/"))
        cb(
          false,
          403,
          JSON.stringify({
            kind: "Status",
            status: "Failure",
            message: 'pods "locked" is forbidden: User "tether:user:bob" cannot create resource "pods/exec"',
            code: 403,
          }),
        );
      else cb(true);
    },
  });
  wss.on("connection", (ws: WebSocket, req) => {
    const s: Seen = { url: req.url ?? "", protocol: ws.protocol, resizes: [] };
    seen.push(s);
    ws.on("message", (data: Buffer) => {
      const channel = data[0];
      const body = data.subarray(1);
      if (channel === 4) s.resizes.push(JSON.parse(body.toString()));
      if (channel !== 0) return;
      const text = body.toString();
      if (text.includes("exit")) {
        ws.send(
          Buffer.concat([
            Buffer.from([3]),
            Buffer.from(
              JSON.stringify({
                status: "Failure",
                reason: "NonZeroExitCode",
                message: "command terminated with non-zero exit code: exit status 3",
                details: { causes: [{ reason: "ExitCode", message: "3" }] },
              }),
            ),
          ]),
        );
        ws.close(1000);
        return;
      }
      ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(text.toUpperCase())]));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A tunnel whose agentSocket is a plain HTTP upgrade to the fake API server, refusals as UpstreamStatusError. */
const tunnel: Pick<TunnelClient, "agentSocket"> = {
  agentSocket: (_agentId, r) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method: r.method, path: r.path, headers: r.headers });
      req.on("upgrade", (res, socket, head) => {
        if (head.length) socket.unshift(head);
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
        resolve({ status: 101, headers: h, socket });
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => reject(new UpstreamStatusError(res.statusCode ?? 0, body)));
      });
      req.on("error", reject);
      req.end();
    }),
};

const base = {
  client: tunnel,
  agentId: "a1",
  impersonation: undefined,
  namespace: "shop",
  container: "main",
  command: ["sh", "-c", "echo hi"],
  cols: 100,
  rows: 30,
};

describe("a command in a container over the Kubernetes streaming protocol", () => {
  it("asks for a terminal, sends keystrokes on stdin, shows stdout, resizes on channel 4, and reads the exit code", async () => {
    let output = "";
    const ended = new Promise<unknown>((resolve) => {
      void openExec({
        ...base,
        pod: "web-1",
        onOutput: (d) => (output += d.toString()),
        onEnd: resolve,
      }).then(async (session) => {
        expect(session.protocol).toBe("v5.channel.k8s.io");
        session.write(Buffer.from("hello\r"));
        await expect.poll(() => output).toBe("HELLO\r");
        session.resize(120, 40);
        await expect.poll(() => seen.at(-1)?.resizes.length).toBe(2);
        session.write(Buffer.from("exit\r"));
      });
    });
    expect(await ended).toEqual({ exit: { exitCode: 3, message: "" }, closeReason: "" });
    const s = seen.at(-1)!;
    const q = new URL(s.url, "http://x").searchParams;
    expect(s.url.startsWith("/api/v1/namespaces/shop/pods/web-1/exec?")).toBe(true);
    expect(q.getAll("command")).toEqual(["sh", "-c", "echo hi"]);
    expect(Object.fromEntries(["container", "stdin", "stdout", "stderr", "tty"].map((k) => [k, q.get(k)]))).toEqual({
      container: "main",
      stdin: "true",
      stdout: "true",
      stderr: "false",
      tty: "true",
    });
    // The first size is the terminal's when it opened, then the resize.
    expect(s.resizes).toEqual([
      { width: 100, height: 30 },
      { width: 120, height: 40 },
    ]);
  });

  it("rejects with the cluster's refusal in its own words when the upgrade is refused", async () => {
    const failure = await openExec({ ...base, pod: "locked", onOutput: () => {}, onEnd: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(UpstreamStatusError);
    expect((failure as UpstreamStatusError).status).toBe(403);
    expect((failure as UpstreamStatusError).reason).toBe(
      'pods "locked" is forbidden: User "tether:user:bob" cannot create resource "pods/exec"',
    );
  });
});

describe("the exit status", () => {
  it("reads kubectl's way: Success is 0, NonZeroExitCode carries the code, anything else its message", () => {
    expect(exitOf({ status: "Success" })).toEqual({ exitCode: 0, message: "" });
    expect(
      exitOf({
        status: "Failure",
        reason: "NonZeroExitCode",
        details: { causes: [{ reason: "ExitCode", message: "127" }] },
      }),
    ).toEqual({ exitCode: 127, message: "" });
    expect(
      exitOf({
        status: "Failure",
        message: 'exec: "bash": executable file not found in $PATH',
        reason: "InternalError",
      }),
    ).toEqual({ exitCode: null, message: 'exec: "bash": executable file not found in $PATH' });
  });
});

describe("the tunnel connection's HTTP", () => {
  it("reads the request head Node's http client writes", () => {
    expect(
      parseRequestHead(
        "GET /api/v1/x?a=1 HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\nX-A: 1\r\nx-a: 2",
      ),
    ).toEqual({
      method: "GET",
      path: "/api/v1/x?a=1",
      headers: { upgrade: "websocket", "sec-websocket-protocol": "v5.channel.k8s.io", "x-a": "1, 2" },
    });
    expect(() => parseRequestHead("HELLO")).toThrow(/not an HTTP\/1.1 request line/);
    expect(() => parseRequestHead("GET / HTTP/1.1\r\nbroken")).toThrow(/not an HTTP header line/);
  });

  it("writes a 101 head with the API server's headers and the upgrade's own", () => {
    const head = switchingProtocolsHead(
      new Headers({
        "sec-websocket-accept": "abc=",
        "sec-websocket-protocol": "v5.channel.k8s.io",
        upgrade: "websocket",
      }),
    ).toString("latin1");
    expect(head).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nsec-websocket-accept: abc=\r\nsec-websocket-protocol: v5.channel.k8s.io\r\nUpgrade: websocket\r\n\r\n",
    );
  });
});
