// web's side of the kas ↔ web contract on SQLite and on PostgreSQL: every call is checked against its
// schema before a handler sees it, and the proxy audit rule (the one kas applies too) decides what is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentToken } from "@/lib/agents";
import { signInternalJwt } from "@/lib/common/internal-jwt";
import { kasWebPath, type KasWebCall } from "@/lib/common/kas-web-contract";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { handleKasInternal } from "./internal-api";

const secret = "kas-web-test-secret";

describe.each(["sqlite", "postgresql"] as const)("web's internal API for kas on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let agentId = "";
  let token = "";
  let tokenId = "";
  let ownerId = "";

  async function call(
    action: KasWebCall | string,
    body: unknown,
    jwt?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const req = new Request(`http://web${kasWebPath(action as KasWebCall)}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${jwt ?? (await signInternalJwt(secret, "tether-kas", "tether-web"))}`,
      },
      body: JSON.stringify(body),
    });
    const res = await handleKasInternal(db, action, req, secret);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const proxyAudits = async () =>
    (
      await db.auditEvent.findMany({
        where: { action: "k8s_proxy.request", targetId: agentId },
        orderBy: { createdAt: "asc" },
      })
    ).map((e) => JSON.parse(e.details) as Record<string, unknown>);

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    const owner = await db.user.create({ data: { email: "o@example.com", username: "o", name: "O" } });
    ownerId = owner.id;
    const project = await db.project.create({
      data: { name: "Infra", path: "infra", fullPath: "o/infra", ownerUserId: owner.id },
    });
    agentId = (await db.agent.create({ data: { name: "prod", projectId: project.id } })).id;
    ({ token, id: tokenId } = await createAgentToken(db, { id: owner.id, isAdmin: false }, agentId, {
      name: "install",
    }));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("refuses a call without kas's JWT, and answers an unknown call with 404", async () => {
    expect(
      (
        await call(
          "agent-configuration",
          { agentId },
          await signInternalJwt("another-secret", "tether-kas", "tether-web"),
        )
      ).status,
    ).toBe(401);
    expect(
      (await call("agent-configuration", { agentId }, await signInternalJwt(secret, "tether-web", "tether-kas")))
        .status,
    ).toBe(401);
    expect(await call("drop-tables", {})).toEqual({
      status: 404,
      body: { error: 'no internal API action "drop-tables"' },
    });
  });

  it("answers each call in its contract's shape, and refuses a body that does not match it", async () => {
    expect(await call("verify-agent-token", { token })).toEqual({
      status: 200,
      body: { agentId, agentName: "prod", projectPath: "o/infra", tokenId },
    });
    // Whatever is sent instead of a token request is no agent token.
    expect(await call("verify-agent-token", { token: 42 })).toEqual({
      status: 401,
      body: { error: "unknown or revoked agent token" },
    });
    expect(await call("agent-configuration", { agentId })).toEqual({ status: 200, body: { yaml: "", version: 0 } });
    expect((await call("agent-configuration", {})).status).toBe(400);
    const info = {
      agentVersion: "1.0.0",
      kubernetesVersion: "1.33.1",
      nodeCount: 3,
      podName: "agent-0",
      podNamespace: "tether",
      kasId: "kas-1",
    };
    expect(await call("agent-contact", { agentId, info })).toEqual({ status: 200, body: { ok: true } });
    expect((await db.agent.findUniqueOrThrow({ where: { id: agentId } })).nodeCount).toBe(3);
    // With the token it used and the address kas saw: the token's "last used from".
    const lastUsed = () =>
      db.agentToken.findUniqueOrThrow({
        where: { id: tokenId },
        select: { lastUsedAt: true, lastUsedPod: true, lastUsedAddress: true },
      });
    expect(await call("agent-contact", { agentId, info, tokenId, peerAddress: "ipv4:10.0.3.7:41234" })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(await lastUsed()).toMatchObject({ lastUsedPod: "tether/agent-0", lastUsedAddress: "10.0.3.7:41234" });
    // A receptive agent's connection comes through a private socket: the pod, and no address.
    await call("agent-contact", { agentId, info: { ...info, podName: "agent-1" }, tokenId, peerAddress: "unix:/x" });
    expect(await lastUsed()).toMatchObject({ lastUsedPod: "tether/agent-1", lastUsedAddress: null });
    // A token id that is not this agent's changes nothing.
    const before = await lastUsed();
    await call("agent-contact", {
      agentId,
      info: { ...info, podName: "elsewhere" },
      tokenId: "not-a-token",
      peerAddress: "1.2.3.4:5",
    });
    expect(await lastUsed()).toEqual(before);
    const bad = await call("agent-contact", { agentId, info: { ...info, nodeCount: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^invalid agent-contact request: /);
    expect(await call("authorize-proxy", { credential: ["pat", agentId] })).toEqual({
      status: 401,
      body: { error: expect.stringMatching(/^malformed credential/) },
    });
  });

  it("answers a batch call by call, each with the status it would have had alone", async () => {
    const info = {
      agentVersion: "1.0.1",
      kubernetesVersion: "1.33.1",
      nodeCount: 4,
      podName: "agent-0",
      podNamespace: "tether",
      kasId: "kas-1",
    };
    expect(
      await call("batch", {
        calls: [
          { call: "verify-agent-token", body: { token } },
          { call: "verify-agent-token", body: { token: "tether_agent_not-a-real-one" } },
          { call: "agent-contact", body: { agentId, info } },
          { call: "agent-configuration", body: {} },
          { call: "drop-tables", body: {} },
        ],
      }),
    ).toEqual({
      status: 200,
      body: {
        answers: [
          { status: 200, body: { agentId, agentName: "prod", projectPath: "o/infra", tokenId: expect.any(String) } },
          { status: 401, body: { error: "unknown or revoked agent token" } },
          { status: 200, body: { ok: true } },
          { status: 400, body: { error: expect.stringMatching(/^invalid agent-configuration request: /) } },
          { status: 404, body: { error: 'no internal API action "drop-tables"' } },
        ],
      },
    });
    expect((await db.agent.findUniqueOrThrow({ where: { id: agentId } })).nodeCount).toBe(4);
    // Refused as a whole: no calls, too many, or a token signed for the other direction.
    expect((await call("batch", { calls: [] })).body.error).toMatch(/^invalid batch/);
    const many = Array.from({ length: 501 }, () => ({ call: "agent-configuration", body: { agentId } }));
    expect((await call("batch", { calls: many })).status).toBe(400);
    expect((await call("batch", { calls: [] }, await signInternalJwt(secret, "tether-web", "tether-kas"))).status).toBe(
      401,
    );
  });

  it("writes a proxy audit record for a refused read, a write and a pod session, and none for a successful read", async () => {
    const actor = { type: "user", id: ownerId, name: "o" };
    const send = (method: string, path: string, status: number) =>
      call("proxy-audit", { agentId, actor, method, path, status });
    expect(await send("GET", "/api/v1/namespaces/default/secrets", 403)).toEqual({ status: 200, body: { ok: true } });
    await send("GET", "/api/v1/namespaces/default/configmaps", 200);
    await send("DELETE", "/api/v1/namespaces/ci/configmaps/app", 200);
    await send("GET", "/api/v1/namespaces/default/pods/web-1/exec?command=sh", 101);
    expect(await proxyAudits()).toEqual([
      expect.objectContaining({
        verb: "GET",
        resource: "secrets",
        namespace: "default",
        status: 403,
        outcome: "refused",
      }),
      expect.objectContaining({ verb: "DELETE", resource: "configmaps", name: "app", status: 200, outcome: "allowed" }),
      expect.objectContaining({ verb: "GET", resource: "pods/exec", name: "web-1", status: 101, outcome: "allowed" }),
    ]);
  });
});
