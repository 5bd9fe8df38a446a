// kas reads web's answers through the contract's schemas: a well-formed answer comes through typed, a
// malformed one is a clear error naming the call and the field, never a half-read object.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MalformedAnswerError, WebApi } from "./web-api";

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
