// Agents and their tokens with the access rules, on SQLite and on PostgreSQL: who may register, create
// and revoke; what outsiders get (not found, even for a guessed id); the two-token limit; the views.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { createProject, findVisibleProject } from "@/lib/projects";
import { AGENT_TOKEN_PREFIX, hashToken } from "@/lib/tokens/tokens";
import type { KasStatusSource } from "./status";
import { agentView, findVisibleAgentByName, listProjectAgents } from "./agent-rows";
import { agentForToken, createAgentToken, listAgentTokens, revokeAgentToken } from "./agent-tokens";
import { recordAgentContact, registerAgent } from "./registration";

type U = { id: string; username: string; isAdmin: boolean };

describe.each(["sqlite", "postgresql"] as const)("agents and tokens on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, U> = {};
  let projectId = "";
  let agentId = "";
  const u = (name: string) => users[name]!;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "mia", "dev", "rep", "out"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    await createGroup(db, u("olga"), { name: "Platform", path: "platform" });
    await addGroupMember(db, u("olga"), "platform", { username: "mia", role: "maintainer" });
    await addGroupMember(db, u("olga"), "platform", { username: "dev", role: "developer" });
    await addGroupMember(db, u("olga"), "platform", { username: "rep", role: "reporter" });
    projectId = (await createProject(db, u("olga"), { name: "Infra", path: "infra", namespace: "platform" })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("a maintainer registers an agent; the name must be a DNS label, unique in the project", async () => {
    const agent = await registerAgent(db, u("mia"), projectId, { name: "prod-eu" });
    agentId = agent.id;
    expect(agent).toMatchObject({ name: "prod-eu", projectId, createdById: u("mia").id, firstContactAt: null });
    for (const [name, message] of [
      ["", "Enter an agent name"],
      [
        "Prod",
        "Use lower-case letters, digits and '-' only, starting and ending with a letter or digit (a Kubernetes DNS label)",
      ],
      [
        "-prod",
        "Use lower-case letters, digits and '-' only, starting and ending with a letter or digit (a Kubernetes DNS label)",
      ],
      [
        "prod_eu",
        "Use lower-case letters, digits and '-' only, starting and ending with a letter or digit (a Kubernetes DNS label)",
      ],
      ["a".repeat(64), "Agent name is too long (at most 63 characters, like a Kubernetes DNS label)"],
    ]) {
      await expect(registerAgent(db, u("mia"), projectId, { name })).rejects.toMatchObject({
        constructor: Invalid,
        message,
        field: "name",
      });
    }
    await expect(registerAgent(db, u("olga"), projectId, { name: "prod-eu" })).rejects.toMatchObject({
      constructor: Conflict,
      message: 'This project already has an agent named "prod-eu"',
      field: "name",
    });
    expect(await db.agent.count()).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "agent.registered", targetId: agentId } })).toBe(1);
  });

  it("developers and reporters cannot register; an outsider is told the project does not exist", async () => {
    await expect(registerAgent(db, u("dev"), projectId, { name: "dev-cluster" })).rejects.toMatchObject({
      constructor: Forbidden,
      message: "You need the maintainer or owner role in this project to manage its agents",
    });
    await expect(registerAgent(db, u("rep"), projectId, { name: "rep-cluster" })).rejects.toBeInstanceOf(Forbidden);
    await expect(registerAgent(db, u("out"), projectId, { name: "out-cluster" })).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    await expect(registerAgent(db, u("out"), "no-such-project", { name: "out-cluster" })).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    expect(await db.agent.count()).toBe(1);
  });

  it("a token is shown once, prefixed, and only its hash is stored", async () => {
    const { id, token } = await createAgentToken(db, u("mia"), agentId, {
      name: "first",
      description: "initial install",
    });
    expect(token.startsWith(AGENT_TOKEN_PREFIX)).toBe(true);
    expect(token.length).toBe(AGENT_TOKEN_PREFIX.length + 43); // 256 bits, base64url
    const row = await db.agentToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const audit = await db.auditEvent.findMany({ where: { action: "agent_token.created", targetId: agentId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toContain(token);
    await expect(createAgentToken(db, u("mia"), agentId, { name: "  " })).rejects.toMatchObject({
      constructor: Invalid,
      message: "Enter a token name",
      field: "name",
    });
  });

  it("a developer cannot create or revoke a token; nothing is written", async () => {
    const before = await db.agentToken.count();
    await expect(createAgentToken(db, u("dev"), agentId, { name: "mine" })).rejects.toMatchObject({
      constructor: Forbidden,
      message: "You need the maintainer or owner role in this project to create agent tokens",
    });
    await expect(createAgentToken(db, u("rep"), agentId, { name: "mine" })).rejects.toBeInstanceOf(Forbidden);
    const first = await db.agentToken.findFirstOrThrow({ where: { agentId } });
    await expect(revokeAgentToken(db, u("dev"), agentId, first.id)).rejects.toBeInstanceOf(Forbidden);
    expect(await db.agentToken.count()).toBe(before);
    expect((await db.agentToken.findUniqueOrThrow({ where: { id: first.id } })).revokedAt).toBeNull();
  });

  it("an unrelated user gets not-found for a guessed agent id, exactly as for one that does not exist", async () => {
    const notFound = { constructor: NotFound, message: "Agent not found" };
    for (const id of [agentId, "no-such-agent"]) {
      await expect(createAgentToken(db, u("out"), id, { name: "x" })).rejects.toMatchObject(notFound);
      await expect(revokeAgentToken(db, u("out"), id, "whatever")).rejects.toMatchObject(notFound);
      await expect(listAgentTokens(db, u("out"), id)).rejects.toMatchObject(notFound);
      await expect(agentView(db, u("out"), id, noKas)).rejects.toMatchObject(notFound);
    }
    await expect(findVisibleAgentByName(db, u("out"), "platform/infra", "prod-eu")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    await expect(findVisibleProject(db, u("out"), { id: projectId })).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    await expect(listProjectAgents(db, u("out"), projectId, noKas)).rejects.toMatchObject({
      constructor: NotFound,
      message: "Project not found",
    });
    // The administrator sees everything.
    await expect(agentView(db, u("root"), agentId, noKas)).resolves.toBeTruthy();
  });

  it("at most two active tokens: the third is refused with the reason; revoking one makes room", async () => {
    await createAgentToken(db, u("olga"), agentId, { name: "second" });
    await expect(createAgentToken(db, u("olga"), agentId, { name: "third" })).rejects.toMatchObject({
      constructor: Conflict,
      message:
        'Agent "prod-eu" already has 2 active tokens. Revoke one before creating another (two allow rotation without downtime).',
    });
    expect(await db.agentToken.count({ where: { agentId } })).toBe(2);
    const first = await db.agentToken.findFirstOrThrow({ where: { agentId, name: "first" } });
    await revokeAgentToken(db, u("mia"), agentId, first.id);
    await revokeAgentToken(db, u("mia"), agentId, first.id); // idempotent, audited once
    expect(await db.auditEvent.count({ where: { action: "agent_token.revoked", targetId: agentId } })).toBe(1);
    await expect(revokeAgentToken(db, u("mia"), agentId, "no-such-token")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Token not found",
    });
    const third = await createAgentToken(db, u("olga"), agentId, { name: "third" });
    expect(third.token).toMatch(/^tthr_agent_/);
  });

  it("a revoked token no longer identifies the agent; an active one records its last use", async () => {
    const t = await createAgentToken(
      db,
      u("root"),
      (await registerAgent(db, u("olga"), projectId, { name: "staging" })).id,
      { name: "s1" },
    );
    const found = await agentForToken(db, t.token);
    expect(found).toMatchObject({ agentName: "staging", projectPath: "platform/infra" });
    expect((await db.agentToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).not.toBeNull();
    await revokeAgentToken(db, u("olga"), found!.agentId, t.id);
    expect(await agentForToken(db, t.token)).toBeNull();
    expect(await agentForToken(db, "tthr_agent_" + "x".repeat(43))).toBeNull();
  });

  it("lists the project's agents with kas's view, the version warning and who may manage", async () => {
    const now = Date.now();
    await recordAgentContact(
      db,
      agentId,
      {
        agentVersion: "0.0.9",
        kubernetesVersion: "v1.33.13",
        nodeCount: 1,
        podName: "p",
        podNamespace: "tether-agent",
        kasId: "kas-1",
      },
      new Date(now - 5_000),
    );
    const kas: KasStatusSource = async (ids) =>
      new Map(
        ids.map((id) => [
          id,
          id === agentId
            ? { connected: true, lastSeenMs: now, connections: 2, replicas: ["kas-a", "kas-b"] }
            : { connected: false, lastSeenMs: 0, connections: 0, replicas: [] },
        ]),
      );
    const view = await listProjectAgents(db, u("dev"), projectId, kas, now);
    expect(view.canManage).toBe(false);
    expect(view.kasVersion).toBe("0.1.0");
    expect(view.kasUnreachable).toBe(false);
    expect(view.agents.map((a) => [a.name, a.status])).toEqual([
      ["prod-eu", "connected"],
      ["staging", "never_connected"],
    ]);
    expect(view.agents[0]).toMatchObject({
      href: "/projects/platform/infra/-/clusters/prod-eu",
      agentVersion: "0.0.9",
      versionBehind: true,
      kubernetesVersion: "v1.33.13",
      nodeCount: 1,
      activeTokens: 2,
      lastContactAt: new Date(now).toISOString(),
      // Two agent pods, their tunnels on two kas replicas, as the tunnel registry says.
      connections: 2,
      kasReplicas: ["kas-a", "kas-b"],
    });
    expect(view.agents[1]).toMatchObject({
      agentVersion: null,
      kubernetesVersion: null,
      nodeCount: null,
      versionBehind: false,
      lastContactAt: null,
      connections: 0,
      kasReplicas: [],
    });
    expect((await listProjectAgents(db, u("mia"), projectId, kas, now)).canManage).toBe(true);

    // kas unreachable: a heartbeat 5 s ago still counts as connected; kas says no: not connected.
    const fallback = await listProjectAgents(db, u("dev"), projectId, noKas, now);
    expect(fallback.kasUnreachable).toBe(true);
    expect(fallback.agents[0]!.status).toBe("connected");
    expect(fallback.agents[0]).toMatchObject({ connections: null, kasReplicas: [] }); // unknown, not "none"
    expect((await listProjectAgents(db, u("dev"), projectId, noKas, now + 61_000)).agents[0]!.status).toBe(
      "not_connected",
    );
    const gone: KasStatusSource = async (ids) =>
      new Map(ids.map((id) => [id, { connected: false, lastSeenMs: now - 5_000 }]));
    expect((await listProjectAgents(db, u("dev"), projectId, gone, now)).agents[0]!.status).toBe("not_connected");
  });

  it("the agent view and token list show who and when, never a token or its hash", async () => {
    const v = await agentView(db, u("rep"), agentId, noKas);
    expect(v).toMatchObject({
      canManage: false,
      project: { fullPath: "platform/infra" },
      agent: { name: "prod-eu", createdBy: "mia" },
    });
    const byName = await findVisibleAgentByName(db, u("dev"), "platform/infra", "prod-eu");
    expect(byName.agent.id).toBe(agentId);
    expect(byName.canManage).toBe(false);
    await expect(findVisibleAgentByName(db, u("dev"), "platform/infra", "nope")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Agent not found",
    });

    const list = await listAgentTokens(db, u("dev"), agentId);
    expect(list.canManage).toBe(false);
    expect(list.tokens.map((t) => [t.name, t.status, t.createdBy])).toEqual([
      ["third", "active", "olga"],
      ["second", "active", "olga"],
      ["first", "revoked", "mia"],
    ]);
    expect(list.tokens[2]).toMatchObject({ description: "initial install" });
    const hashes = (await db.agentToken.findMany({ where: { agentId } })).map((t) => t.tokenHash);
    const json = JSON.stringify(list);
    for (const h of hashes) expect(json).not.toContain(h);
    expect(json).not.toContain("tokenHash");
  });
});

const noKas: KasStatusSource = async (ids) => new Map(ids.map((id) => [id, null]));
