// Project access tokens on SQLite and on PostgreSQL: who may make them and what bad input gets; the token
// acts as its bot with exactly its role in its one project (developer or maintainer limits), a stranger to
// every other project (404), group and namespace; revoked and expired tokens get 401 saying which, a
// missing scope 403 naming it; last use written at most once a minute; audit rows name the bot and the
// token; kubectl through kas lets the bot in by the agent's user_access through its own project only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, findVisibleProject } from "@/lib/access";
import { saveAgentConfig } from "@/lib/agent-config";
import { createAgentToken, registerAgent } from "@/lib/agents";
import { authenticate, type ApiActor, type Authentication } from "@/lib/api-auth/actor";
import { withAuditCredential } from "@/lib/audit/audit";
import { projectAuditLog } from "@/lib/audit/audit-pages";
import { checkCredentials, signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { authorizeProxy, parseProxyCredential } from "@/lib/kubectl-access/proxy-auth";
import { createProject, deleteProject, listVisibleProjects } from "@/lib/projects";
import { createCiJobToken } from "@/lib/tokens/access-tokens";
import { PROJECT_TOKEN_PREFIX, hashToken } from "@/lib/tokens/tokens";
import { createProjectToken, projectTokensView, revokeProjectToken } from "./project-tokens";

type U = { id: string; username: string; isAdmin: boolean };

const request = (method: string, token: string) =>
  new Request("http://tether.test/api/projects", { method, headers: { authorization: `Bearer ${token}` } });
const noSession = async () => null;
const refusal = (a: Authentication) => (a.ok ? { ok: true } : { status: a.status, error: a.error });

describe.each(["sqlite", "postgresql"] as const)("project access tokens on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, U> = {};
  const u = (name: string) => users[name]!;
  let shop: string;
  let other: string;
  let own: string;

  /** Authenticates with the token for this method and answers its actor (failing the test otherwise). */
  const actorOf = async (token: string, method = "GET", now = new Date()): Promise<ApiActor> => {
    const a = await authenticate(db, request(method, token), noSession, now);
    if (!a.ok) throw new Error(`refused: ${a.error}`);
    return a.actor;
  };
  const make = (role: string, scopes: string[], name = `${role} ${scopes.join("+")}`, expiresInDays = 30) =>
    createProjectToken(db, u("mia"), shop, { name, role, scopes, expiresInDays });

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "mia", "dev", "out"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    await createGroup(db, u("mia"), { name: "Acme", path: "acme" });
    await addGroupMember(db, u("mia"), "acme", { username: "dev", role: "developer" });
    shop = (await createProject(db, u("mia"), { name: "Shop", path: "shop", namespace: "acme" })).id;
    other = (await createProject(db, u("mia"), { name: "Other", path: "other", namespace: "acme" })).id;
    own = (await createProject(db, u("out"), { name: "Own", path: "own", namespace: "out" })).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("a maintainer makes a token shown once: prefixed, only its hash kept, a bot user with no password, audited", async () => {
    const made = await make("maintainer", ["api"], "deploy script");
    expect(made.token).toMatch(new RegExp(`^${PROJECT_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(made).toMatchObject({ name: "deploy script", role: "maintainer", scopes: ["api"] });
    const row = await db.projectAccessToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row.tokenHash).toBe(hashToken(made.token));
    expect(JSON.stringify(row)).not.toContain(made.token);
    const bot = await db.user.findUniqueOrThrow({ where: { id: row.botUserId } });
    expect(bot).toMatchObject({ username: made.bot, botProjectId: shop, passwordHash: null, isAdmin: false });
    expect(bot.username).toMatch(new RegExp(`^project_${shop}_bot_[0-9a-f]{8}$`));
    expect(await checkCredentials(db, bot.email, "")).toBeNull();
    const days = (new Date(made.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const { rows } = await projectAuditLog(db, u("mia"), { id: shop });
    expect(rows[0]).toMatchObject({
      actor: "@mia",
      action: "project_token.created",
      summary: 'Created project access token "deploy script" with the maintainer role in project acme/shop',
    });
    const view = await projectTokensView(db, u("mia"), shop);
    expect(view.tokens.find((t) => t.id === made.id)).toMatchObject({
      name: "deploy script",
      role: "maintainer",
      scopes: ["api"],
      bot: made.bot,
      createdBy: "mia",
      lastUsedAt: null,
      revokedAt: null,
      status: "active",
    });
  });

  it("only maintainers make, list and revoke them; bad input says what is wrong and makes nothing", async () => {
    const input = { name: "x", role: "developer", scopes: ["api"], expiresInDays: 1 };
    await expect(createProjectToken(db, u("dev"), shop, input)).rejects.toThrow(
      new Forbidden("project", "You need at least the maintainer role in this project to manage its access tokens"),
    );
    await expect(projectTokensView(db, u("dev"), shop)).rejects.toBeInstanceOf(Forbidden);
    await expect(createProjectToken(db, u("out"), shop, input)).rejects.toBeInstanceOf(NotFound);
    await expect(projectTokensView(db, u("out"), shop)).rejects.toBeInstanceOf(NotFound);

    const before = await db.projectAccessToken.count();
    const usersBefore = await db.user.count();
    const bad: [object, string, string][] = [
      [{ expiresInDays: 366 }, "expiresInDays", "A project access token can live at most 365 days"],
      [{ expiresInDays: undefined }, "expiresInDays", "Choose when the token expires (1 to 365 days)"],
      [{ expiresInDays: 0 }, "expiresInDays", "A token must live at least one day"],
      [{ role: "owner" }, "role", "Role must be one of: developer, maintainer"],
      [{ scopes: [] }, "scopes", "Choose at least one scope"],
      [{ scopes: ["sudo"] }, "scopes.0", "Scopes must be among: api, read_api, k8s_proxy"],
      [{ name: "  " }, "name", "Enter a token name"],
    ];
    for (const [change, field, message] of bad) {
      await expect(createProjectToken(db, u("mia"), shop, { ...input, ...change })).rejects.toThrow(
        new Invalid(message, field),
      );
    }
    expect(await db.projectAccessToken.count()).toBe(before);
    expect(await db.user.count()).toBe(usersBefore);
  });

  it("a developer token acts as a developer of its project and no more", async () => {
    const made = await make("developer", ["api"]);
    const bot = await actorOf(made.token, "POST");
    expect(bot).toMatchObject({
      username: made.bot,
      isAdmin: false,
      projectBot: { projectId: shop, role: "developer" },
      via: { kind: "project_token", tokenId: made.id, tokenName: "developer api", scopes: ["api"] },
    });
    expect((await findVisibleProject(db, bot, { id: shop })).project.fullPath).toBe("acme/shop");
    await expect(createCiJobToken(db, bot, shop, { jobName: "build" })).resolves.toMatchObject({
      id: expect.any(String),
    });
    await expect(registerAgent(db, bot, shop, { name: "nope" })).rejects.toBeInstanceOf(Forbidden);
    // The audit log is for maintainers: hidden from a developer, bot or not.
    await expect(projectAuditLog(db, bot, { id: shop })).rejects.toBeInstanceOf(NotFound);
    await expect(projectAuditLog(db, u("dev"), { id: shop })).rejects.toBeInstanceOf(NotFound);
    await expect(projectTokensView(db, bot, shop)).rejects.toBeInstanceOf(Forbidden);
  });

  it("a maintainer token manages its project's agents, and the audit rows name its bot and the token", async () => {
    const made = await make("maintainer", ["api"], "ci bot");
    const bot = await actorOf(made.token, "POST");
    const credential = { tokenId: made.id, tokenName: made.name };
    const agent = await withAuditCredential(credential, () => registerAgent(db, bot, shop, { name: "prod" }));
    await withAuditCredential(credential, () => createAgentToken(db, bot, agent.id, { name: "cluster-1" }));
    const { rows } = await projectAuditLog(db, bot, { id: shop });
    const mine = rows.filter((r) => r.actor === `@${made.bot}`);
    expect(mine.map((r) => r.action)).toEqual(["agent_token.created", "agent.registered"]);
    for (const r of mine) expect(r.details).toContainEqual({ label: "With API token", value: "ci bot" });
    // Still no owner: it cannot delete or move the project, nor mint project tokens.
    await expect(deleteProject(db, bot, shop, { confirm: "acme/shop" })).rejects.toBeInstanceOf(Forbidden);
    await expect(
      createProjectToken(db, bot, shop, { name: "more", role: "maintainer", scopes: ["api"], expiresInDays: 1 }),
    ).rejects.toThrow("A project access token cannot create access tokens");
  });

  it("on another project, group or namespace the bot is a stranger", async () => {
    const bot = await actorOf((await make("maintainer", ["api"])).token, "POST");
    for (const projectId of [other, own]) {
      await expect(findVisibleProject(db, bot, { id: projectId })).rejects.toBeInstanceOf(NotFound);
      await expect(registerAgent(db, bot, projectId, { name: "x" })).rejects.toBeInstanceOf(NotFound);
      await expect(projectAuditLog(db, bot, { id: projectId })).rejects.toBeInstanceOf(NotFound);
    }
    expect((await listVisibleProjects(db, bot)).map((p) => p.fullPath)).toEqual(["acme/shop"]);
    await expect(addGroupMember(db, bot, "acme", { username: "out", role: "owner" })).rejects.toBeInstanceOf(NotFound);
    await expect(createGroup(db, bot, { name: "Mine", path: "mine" })).rejects.toThrow(
      "A project access token acts in its own project only: it cannot create groups",
    );
    await expect(createProject(db, bot, { name: "P", path: "pp", namespace: bot.username })).rejects.toThrow(
      "A project access token acts in its own project only: it cannot create or move projects",
    );
    expect(can.viewInstanceAudit(bot)).toBe(false);
    // Nor can anyone make the bot a group member.
    await expect(addGroupMember(db, u("mia"), "acme", { username: bot.username, role: "owner" })).rejects.toThrow(
      Invalid,
    );
  });

  it("revoked and expired tokens get 401 saying which; a missing scope gets 403 naming it", async () => {
    const revoked = await make("developer", ["api"], "old script");
    await revokeProjectToken(db, u("mia"), shop, revoked.id);
    expect(refusal(await authenticate(db, request("GET", revoked.token), noSession))).toEqual({
      status: 401,
      error: "This project access token (old script) was revoked",
    });
    const view = await projectTokensView(db, u("mia"), shop);
    expect(view.tokens.find((t) => t.id === revoked.id)).toMatchObject({ status: "revoked", revokedBy: "mia" });
    const { rows } = await projectAuditLog(db, u("mia"), { id: shop });
    expect(rows[0]).toMatchObject({ action: "project_token.revoked", actor: "@mia" });

    const short = await make("developer", ["api"], "one day", 1);
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(refusal(await authenticate(db, request("GET", short.token), noSession, later))).toEqual({
      status: 401,
      error: `This project access token (one day) expired at ${short.expiresAt}`,
    });

    const reader = await make("maintainer", ["read_api"]);
    await actorOf(reader.token, "GET");
    for (const method of ["POST", "PUT", "DELETE"]) {
      const a = await authenticate(db, request(method, reader.token), noSession);
      expect(refusal(a)).toEqual({
        status: 403,
        error: `This token needs the api scope for ${method} requests (it has: read_api)`,
      });
      expect(a.ok ? "" : a.challenge).toBe(`Bearer error="insufficient_scope", scope="api"`);
    }
    const kubectlOnly = await make("developer", ["k8s_proxy"]);
    expect(refusal(await authenticate(db, request("GET", kubectlOnly.token), noSession))).toEqual({
      status: 403,
      error: "This token needs the read_api or api scope to read through the REST API (it has: k8s_proxy)",
    });
    // A token of another project's maintainer cannot revoke this project's tokens: 404.
    const outsider = await createProjectToken(db, u("out"), own, {
      name: "mine",
      role: "maintainer",
      scopes: ["api"],
      expiresInDays: 1,
    });
    await expect(revokeProjectToken(db, u("out"), own, reader.id)).rejects.toBeInstanceOf(NotFound);
    await expect(revokeProjectToken(db, await actorOf(outsider.token), shop, reader.id)).rejects.toBeInstanceOf(
      NotFound,
    );
  });

  it("records the last use at most once a minute", async () => {
    const made = await make("developer", ["read_api"], "poller");
    const lastUsed = async () =>
      (await db.projectAccessToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt?.getTime();
    const t0 = new Date(Date.now() + 1_000);
    await actorOf(made.token, "GET", t0);
    expect(await lastUsed()).toBe(t0.getTime());
    await actorOf(made.token, "GET", new Date(t0.getTime() + 30_000));
    expect(await lastUsed()).toBe(t0.getTime());
    const t2 = new Date(t0.getTime() + 61_000);
    await actorOf(made.token, "GET", t2);
    expect(await lastUsed()).toBe(t2.getTime());
  });

  it("kubectl through kas: user_access lets the bot in through its own project only, as tether:user:<bot>", async () => {
    const agent = (await registerAgent(db, u("mia"), shop, { name: "kube" })).id;
    const foreign = (await registerAgent(db, u("mia"), other, { name: "kube-other" })).id;
    const config = (project: string) =>
      ["user_access:", "  access_as:", "    user: {}", "  projects:", `    - id: ${project}`, ""].join("\n");
    await saveAgentConfig(db, u("mia"), agent, config("acme/shop"));
    // The other project's agent lets in its own project and the whole group acme: not the bot.
    await saveAgentConfig(
      db,
      u("mia"),
      foreign,
      [config("acme/other"), "  groups:", "    - id: acme", ""].join("\n").replace("\n\n", "\n"),
    );
    const made = await make("developer", ["k8s_proxy"], "kubectl");
    // kubectl sends it as a personal token is sent: pat:<agent-id>:<token>.
    const credential = parseProxyCredential(`pat:${agent}:${made.token}`);
    expect(credential).toEqual({ kind: "pat", agentId: agent, token: made.token });
    expect(parseProxyCredential(`ci:${agent}:${made.token}`)).toBeNull();
    const grant = await authorizeProxy(db, credential!);
    expect(grant).toEqual({
      allowed: true,
      agentId: agent,
      agentName: "kube",
      actor: {
        type: "user",
        id: (await db.user.findUniqueOrThrow({ where: { username: made.bot } })).id,
        name: made.bot,
      },
      accessAs: "user",
      impersonation: { user: `tether:user:${made.bot}`, groups: ["tether:user", `tether:project:${shop}`] },
      defaultNamespace: null,
    });
    expect(await authorizeProxy(db, { kind: "pat", agentId: foreign, token: made.token })).toEqual({
      allowed: false,
      status: 403,
      reason: `project access token "kubectl" may not use agent "kube-other" (its project acme/shop is not in the agent's user_access)`,
    });
    const apiOnly = await make("maintainer", ["api"], "rest only");
    expect(await authorizeProxy(db, { kind: "pat", agentId: agent, token: apiOnly.token })).toEqual({
      allowed: false,
      status: 403,
      reason: `this project access token (rest only) lacks the k8s_proxy scope`,
    });
    await revokeProjectToken(db, u("mia"), shop, made.id);
    expect(await authorizeProxy(db, { kind: "pat", agentId: agent, token: made.token })).toEqual({
      allowed: false,
      status: 401,
      reason: "this project access token (kubectl) was revoked",
    });
    const refusedRow = await db.auditEvent.findFirstOrThrow({
      where: { action: "k8s_proxy.refused", targetId: agent },
      orderBy: { createdAt: "desc" },
    });
    expect(JSON.parse(refusedRow.details)).toMatchObject({ kind: "project", status: 401 });
  });

  it("a deleted project takes its tokens and their bots with it", async () => {
    const p = (await createProject(db, u("mia"), { name: "Tmp", path: "tmp", namespace: "acme" })).id;
    const made = await createProjectToken(db, u("mia"), p, {
      name: "tmp",
      role: "developer",
      scopes: ["api"],
      expiresInDays: 1,
    });
    await deleteProject(db, u("mia"), p, { confirm: "acme/tmp" });
    expect(await db.user.findUnique({ where: { username: made.bot } })).toBeNull();
    expect(refusal(await authenticate(db, request("GET", made.token), noSession))).toEqual({
      status: 401,
      error: "Unknown API token",
    });
  });
});
