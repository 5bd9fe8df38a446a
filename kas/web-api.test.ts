// kas reads web's answers through the contract's schemas: a well-formed answer comes through typed, a
// malformed one is a clear error naming the call and the field, never a half-read object.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MalformedAnswerError, TokenRejectedError, WebApi } from "./web-api";

describe("kas's calls to web", () => {
  const answers = new Map<string, { status: number; body: unknown }>();
  const seen: { path: string; body: unknown }[] = [];
  let server: http.Server;
  let web: WebApi;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = "";
      req.on("data", (d: Buffer) => (text += d.toString()));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", body: JSON.parse(text) });
        const a = answers.get(req.url ?? "") ?? { status: 404, body: { error: "no such call" } };
        res
          .writeHead(a.status, { "content-type": "application/json" })
          .end(typeof a.body === "string" ? a.body : JSON.stringify(a.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    web = new WebApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "test-secret", 0, "kas-1");
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("posts to the contract's path and returns the checked answer", async () => {
    answers.set("/api/internal/kas/agent-configuration", {
      status: 200,
      body: { yaml: "ci_access: {}\n", version: 3, extra: "ignored" },
    });
    expect(await web.agentConfiguration("a1")).toEqual({ yaml: "ci_access: {}\n", version: 3 });
    expect(seen.at(-1)).toEqual({ path: "/api/internal/kas/agent-configuration", body: { agentId: "a1" } });
  });

  it("a malformed answer is a MalformedAnswerError that names the call and the field", async () => {
    answers.set("/api/internal/kas/agent-configuration", { status: 200, body: { yaml: 42, version: 1 } });
    const err = await web.agentConfiguration("a1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedAnswerError);
    expect((err as Error).message).toMatch(/malformed answer to agent-configuration: yaml: /);

    answers.set("/api/internal/kas/authorize-proxy", {
      status: 200,
      body: {
        allowed: true,
        agentId: "a1",
        agentName: "prod",
        actor: { type: "user", id: "u1", name: "dev" },
        accessAs: "user",
        defaultNamespace: null,
      },
    });
    await expect(web.authorizeProxy("pat:a1:x")).rejects.toThrow(
      /malformed answer to authorize-proxy: impersonation: /,
    );

    answers.set("/api/internal/kas/agent-contact", { status: 200, body: "<html>not json</html>" });
    await expect(
      web.recordContact("a1", {
        agentVersion: "1",
        kubernetesVersion: "1.33",
        nodeCount: 1,
        podName: "p",
        podNamespace: "n",
      }),
    ).rejects.toThrow(/malformed answer to agent-contact/);
  });

  it("a refusal keeps web's reason, and the contact report says which kas heard it", async () => {
    answers.set("/api/internal/kas/authorize-proxy", {
      status: 403,
      body: { error: 'you are not authorized to use agent "prod"' },
    });
    await expect(web.authorizeProxy("pat:a1:y")).rejects.toMatchObject({
      status: 403,
      message: 'you are not authorized to use agent "prod"',
    });
    answers.set("/api/internal/kas/agent-contact", { status: 200, body: { ok: true } });
    await web.recordContact("a1", {
      agentVersion: "1",
      kubernetesVersion: "1.33",
      nodeCount: 1,
      podName: "p",
      podNamespace: "n",
    });
    expect(seen.at(-1)).toEqual({
      path: "/api/internal/kas/agent-contact",
      body: {
        agentId: "a1",
        info: {
          agentVersion: "1",
          kubernetesVersion: "1.33",
          nodeCount: 1,
          podName: "p",
          podNamespace: "n",
          kasId: "kas-1",
        },
      },
    });
    // With the token the agent used and its address, both are passed on (the tokens list shows them).
    await web.recordContact(
      "a1",
      { agentVersion: "1", kubernetesVersion: "1.33", nodeCount: 1, podName: "p", podNamespace: "n" },
      { tokenId: "t1", peerAddress: "ipv4:10.0.3.7:41234" },
    );
    expect(seen.at(-1)?.body).toMatchObject({ agentId: "a1", tokenId: "t1", peerAddress: "ipv4:10.0.3.7:41234" });
  });
});

describe("kas's calls to web in batches", () => {
  const requests: { path: string; body: { calls?: { call: string; body: { token?: string } }[] } }[] = [];
  /** Whether this web knows the batch call (an older web answers 404). */
  let batches = true;
  let server: http.Server;
  let url = "";
  const identity = (token: string) => ({ agentId: `id-${token}`, agentName: `agent-${token}`, projectPath: "o/p" });
  /** What web answers to one call: tokens starting with "bad" are unknown. */
  const single = (call: string, body: { token?: string }) =>
    call === "verify-agent-token" && body.token?.startsWith("bad")
      ? { status: 401, body: { error: "unknown or revoked agent token" } }
      : call === "verify-agent-token"
        ? { status: 200, body: identity(body.token ?? "") }
        : { status: 200, body: { yaml: "", version: 0 } };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = "";
      req.on("data", (d: Buffer) => (text += d.toString()));
      req.on("end", () => {
        const body = JSON.parse(text) as (typeof requests)[number]["body"];
        requests.push({ path: req.url ?? "", body });
        const send = (status: number, b: unknown) =>
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(b));
        if (req.url === "/api/internal/kas/batch") {
          if (!batches) return send(404, { error: 'no internal API action "batch"' });
          return send(200, { answers: body.calls!.map((c) => single(c.call, c.body)) });
        }
        const a = single(req.url!.replace("/api/internal/kas/", ""), body as { token?: string });
        send(a.status, a.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("token checks made together travel in one request, and each caller gets its own answer", async () => {
    requests.length = 0;
    const web = new WebApi(url, "test-secret", 0, "kas-1", { batchMs: 20 });
    const answers = await Promise.allSettled([
      web.verifyAgentToken("one"),
      web.verifyAgentToken("bad-two"),
      web.verifyAgentToken("three"),
      web.agentConfiguration("a1"),
    ]);
    expect(requests.map((r) => r.path)).toEqual(["/api/internal/kas/batch"]);
    expect(requests[0]!.body.calls!.map((c) => c.call)).toEqual([
      "verify-agent-token",
      "verify-agent-token",
      "verify-agent-token",
      "agent-configuration",
    ]);
    expect(answers[0]).toEqual({ status: "fulfilled", value: identity("one") });
    expect(answers[1]).toMatchObject({ status: "rejected", reason: expect.any(TokenRejectedError) });
    expect(answers[2]).toEqual({ status: "fulfilled", value: identity("three") });
    expect(answers[3]).toEqual({ status: "fulfilled", value: { yaml: "", version: 0 } });
  });

  it("the many streams an agent opens at once cost one lookup of its token", async () => {
    requests.length = 0;
    const web = new WebApi(url, "test-secret", 10_000, "kas-1", { batchMs: 20 });
    const all = await Promise.all(Array.from({ length: 11 }, () => web.verifyAgentToken("fleet")));
    expect(new Set(all.map((a) => a.agentId))).toEqual(new Set(["id-fleet"]));
    expect(requests.flatMap((r) => r.body.calls ?? [])).toHaveLength(1);
  });

  it("against a web without batches, every call goes alone and is answered", async () => {
    requests.length = 0;
    batches = false;
    try {
      const web = new WebApi(url, "test-secret", 0, "kas-1", { batchMs: 20 });
      expect(await Promise.all([web.verifyAgentToken("a"), web.verifyAgentToken("b")])).toEqual([
        identity("a"),
        identity("b"),
      ]);
      expect(await web.verifyAgentToken("c")).toEqual(identity("c"));
      expect(requests.map((r) => r.path)).toEqual([
        "/api/internal/kas/batch",
        "/api/internal/kas/verify-agent-token",
        "/api/internal/kas/verify-agent-token",
        "/api/internal/kas/verify-agent-token",
      ]);
    } finally {
      batches = true;
    }
  });

  it("a token the re-check confirmed is trusted until the next re-check; a revocation asks web at once", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      requests.length = 0;
      const web = new WebApi(url, "test-secret", 1_000, "kas-1", { recheckMs: 30_000 });
      await web.verifyAgentToken("t", { maxAgeMs: 0 }); // the periodic re-check asked web
      vi.setSystemTime(Date.now() + 20_000); // long past the 1 s cache, before the next re-check
      expect(await web.verifyAgentToken("t")).toEqual(identity("t"));
      await web.verifyAgentToken("t", { maxAgeMs: 15_000 }); // the push streams' re-check, 20 s later: asks
      expect(requests).toHaveLength(2);
      await web.verifyAgentToken("t", { maxAgeMs: 15_000 }); // moments later: the answer just fetched
      expect(requests).toHaveLength(2);
      await web.verifyAgentToken("t", { maxAgeMs: 0 }); // a published revocation always asks
      expect(requests).toHaveLength(3);
      // An ordinary lookup's answer lasts the cache time only.
      await web.verifyAgentToken("u");
      vi.setSystemTime(Date.now() + 2_000);
      await web.verifyAgentToken("u");
      expect(requests).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });
});
