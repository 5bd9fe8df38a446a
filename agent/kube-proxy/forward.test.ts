import fs from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureSelfSignedCert } from "../../lib/common/self-signed";
import { KubeApi, upstreamHeaders } from "./forward";

describe("upstreamHeaders", () => {
  it("drops a caller's Impersonate-*, Authorization, Cookie and hop-by-hop headers", () => {
    const h = upstreamHeaders(
      [
        { name: "Impersonate-User", values: ["system:admin"] },
        { name: "impersonate-group", values: ["system:masters"] },
        { name: "Authorization", values: ["Bearer stolen"] },
        { name: "Cookie", values: ["a=b"] },
        { name: "Connection", values: ["upgrade"] },
        { name: "Accept", values: ["application/json"] },
      ],
      undefined,
    );
    expect(h).toEqual({ accept: "application/json" });
  });

  it("adds exactly the impersonation kas asked for", () => {
    const h = upstreamHeaders([{ name: "Impersonate-User", values: ["system:admin"] }], {
      user: "tether:user:alice",
      groups: ["tether:user", "tether:project:7"],
      uid: "",
      extra: { scope: { values: ["ci"] } },
    });
    expect(h).toEqual({
      "impersonate-user": "tether:user:alice",
      "impersonate-group": ["tether:user", "tether:project:7"],
      "impersonate-extra-scope": ["ci"],
    });
  });

  it("passes a connection upgrade on with its own Connection header", () => {
    const h = upstreamHeaders(
      [
        { name: "Upgrade", values: ["websocket"] },
        { name: "Connection", values: ["keep-alive, Upgrade"] },
        { name: "Sec-WebSocket-Protocol", values: ["v5.channel.k8s.io"] },
      ],
      undefined,
    );
    expect(h).toEqual({ upgrade: "websocket", connection: "Upgrade", "sec-websocket-protocol": "v5.channel.k8s.io" });
  });
});

describe("KubeApi", () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-forward-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A kubeconfig for `server`, trusting the test certificate, with a bearer token. */
  const kubeconfig = (server: string, ca: string) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server, caData: Buffer.from(ca).toString("base64") }],
      users: [{ name: "u", token: "agent-sa-token" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    return kc;
  };

  /** Sends a GET through `api` and collects what the server saw and answered. */
  const get = (api: KubeApi, p: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = api.request({
        requestId: "r",
        method: "GET",
        path: p,
        headers: [{ name: "Accept", values: ["application/json"] }],
        impersonation: undefined,
        noBody: true,
      });
      req.onError(reject);
      req.onResponse((res) => {
        const parts: Buffer[] = [];
        res.body.on("data", (b: Buffer) => parts.push(b));
        res.body.on("end", () => resolve({ status: res.status, body: Buffer.concat(parts).toString() }));
      });
    });

  /**
   * A TLS server that answers with the HTTP version, Authorization and URL it saw: HTTP/2 (as a
   * kube-apiserver) or HTTP/1.1 only (as some proxies in front of one). `sockets` counts connections.
   */
  async function echoServer(kind: "http2" | "http1" | "http1, no ALPN") {
    const cert = await ensureSelfSignedCert(dir);
    const opts = { cert: fs.readFileSync(cert.cert), key: fs.readFileSync(cert.key) };
    const answer = (
      req: { httpVersion: string; headers: { authorization?: string }; url?: string },
      res: { end(s: string): void },
    ) => res.end(JSON.stringify({ version: req.httpVersion, auth: req.headers.authorization, url: req.url }));
    const server =
      kind === "http2"
        ? http2.createSecureServer(opts, answer)
        : https.createServer(kind === "http1" ? opts : { ...opts, ALPNProtocols: [] }, answer);
    const sockets = new Set<unknown>();
    server.on("secureConnection", (sock) => sockets.add(sock));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
      url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
      ca: fs.readFileSync(cert.cert, "utf8"),
      sockets,
      close: async () => {
        if (server instanceof https.Server) server.closeAllConnections();
        await new Promise((r) => server.close(r));
      },
    };
  }

  it("sends ordinary requests over one HTTP/2 connection, with the agent's credentials", async () => {
    const server = await echoServer("http2");
    const api = await KubeApi.create(kubeconfig(server.url, server.ca));
    try {
      expect(api.protocol).toBe("HTTP/2");
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => get(api, `/api/v1/namespaces/n${i}`)));
      for (const [i, a] of answers.entries())
        expect(JSON.parse(a.body)).toEqual({
          version: "2.0",
          auth: "Bearer agent-sa-token",
          url: `/api/v1/namespaces/n${i}`,
        });
      expect(server.sockets.size).toBe(1);
    } finally {
      api.close();
      await server.close();
    }
  });

  it.each(["http1", "http1, no ALPN"] as const)(
    "falls back to HTTP/1.1 when the server (e.g. a proxy in front of the API server) does not speak HTTP/2 (%s)",
    async (kind) => {
      const server = await echoServer(kind);
      const api = await KubeApi.create(kubeconfig(server.url, server.ca));
      try {
        expect(api.protocol).toBe("HTTP/1.1");
        const a = await get(api, "/version");
        expect(a.status).toBe(200);
        expect(JSON.parse(a.body)).toEqual({ version: "1.1", auth: "Bearer agent-sa-token", url: "/version" });
      } finally {
        api.close();
        await server.close();
      }
    },
  );

  it("picks up a rotated service-account token (the kubelet rewrites the file)", async () => {
    const server = await echoServer("http2");
    const tokenFile = path.join(dir, "token");
    fs.writeFileSync(tokenFile, "first-token");
    // As loadFromCluster describes the pod's service account: a token file.
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: server.url, caData: Buffer.from(server.ca).toString("base64") }],
      users: [{ name: "u", authProvider: { name: "tokenFile", config: { tokenFile } } }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const api = await KubeApi.create(kc);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      expect(JSON.parse((await get(api, "/version")).body).auth).toBe("Bearer first-token");
      fs.writeFileSync(tokenFile, "second-token");
      // The client library reads a token file again once it is a minute old.
      vi.setSystemTime(Date.now() + 61_000);
      await api.refreshCredentials();
      expect(JSON.parse((await get(api, "/version")).body).auth).toBe("Bearer second-token");
    } finally {
      vi.useRealTimers();
      api.close();
      await server.close();
    }
  });
});
