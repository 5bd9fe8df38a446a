// kubectl access on SQLite and on PostgreSQL: which agents a project's CI jobs may use (checked against
// kas's own authorization, pair by pair), personal access token rules (validation, only the hash
// stored, only one's own tokens, revocation, statuses), the CI job token mint API's rules and answer,
// and the personal kubeconfig made on the agent page.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { createProject } from "@/lib/projects";
import {
  createCiJobToken,
  createPersonalAccessToken,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
} from "@/lib/tokens/access-tokens";
import { PERSONAL_TOKEN_PREFIX, hashToken } from "@/lib/tokens/tokens";
import { personalTokensView } from "@/lib/tokens/personal-tokens-view";
import { saveAgentConfig } from "@/lib/agent-config";
import { connectView } from "./connect";
import type { Kubeconfig } from "./kubeconfig";
import { KUBECONFIG_TOKEN_DAYS, createPersonalKubeconfig, mintCiJobCredentials } from "./credentials";
import { authorizeProxy } from "./proxy-auth";
import { registerAgent } from "@/lib/agents";
import { agentsUsableByProjectForCi, userAccessToAgent } from "./usable";

type U = { id: string; username: string; isAdmin: boolean };

const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-kubectl-access-"));
const certFile = path.join(certDir, "kas-proxy.crt");
const PEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
fs.writeFileSync(certFile, PEM);
const env = {
  TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: certFile,
  TETHER_KAS_K8S_PROXY_ADDRESS: "127.0.0.1:8164",
  NEXTAUTH_URL: "http://localhost:3407",
};
afterAll(() => fs.rmSync(certDir, { recursive: true, force: true }));

describe.each(["sqlite", "postgresql"] as const)("kubectl access on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, U> = {};
  const projects: Record<string, string> = {};
  const agents: Record<string, string> = {};
  const u = (name: string) => users[name]!;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "dev", "rep", "out", "eve"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    await createGroup(db, u("olga"), { name: "Platform", path: "platform" });
    await addGroupMember(db, u("olga"), "platform", { username: "dev", role: "developer" });
    await addGroupMember(db, u("olga"), "platform", { username: "rep", role: "reporter" });
    await createGroup(db, u("eve"), { name: "External", path: "ext" });
    projects.app = (await createProject(db, u("olga"), { name: "App", path: "app", namespace: "platform" })).id;
    projects.infra = (await createProject(db, u("olga"), { name: "Infra", path: "infra", namespace: "platform" })).id;
    projects.tools = (await createProject(db, u("eve"), { name: "Tools", path: "tools", namespace: "ext" })).id;
    projects.own = (await createProject(db, u("out"), { name: "Own", path: "own", namespace: "out" })).id;

    agents.appCluster = (await registerAgent(db, u("olga"), projects.app, { name: "app-cluster" })).id;
    agents.prod = (await registerAgent(db, u("olga"), projects.infra, { name: "prod" })).id;
    agents.extAgent = (await registerAgent(db, u("eve"), projects.tools, { name: "ext-agent" })).id;
    agents.retired = (await registerAgent(db, u("eve"), projects.tools, { name: "retired" })).id;
    agents.outAgent = (await registerAgent(db, u("out"), projects.own, { name: "home" })).id;

    // prod: CI of platform/app (as the job, in namespace ci); users of group platform (as themselves).
    await saveAgentConfig(
      db,
      u("olga"),
      agents.prod,
      [
        "ci_access:",
        "  projects:",
        "    - id: Platform/App",
        "      default_namespace: ci",
        "      access_as:",
        "        ci_job: {}",
        "user_access:",
        "  access_as:",
        "    user: {}",
        "  groups:",
        "    - id: platform",
        "",
      ].join("\n"),
    );
    // ext-agent: CI of every project in group platform, as the agent. Saved by an admin: eve cannot see
    // platform, so she may not name it herself.
    await saveAgentConfig(db, u("root"), agents.extAgent, "ci_access:\n  groups:\n    - id: platform\n");
    // retired: shared with platform/app once, no longer (only the newest version is in force).
    await saveAgentConfig(db, u("root"), agents.retired, "ci_access:\n  projects:\n    - id: platform/app\n");
    await saveAgentConfig(db, u("eve"), agents.retired, "user_access:\n  projects:\n    - id: ext/tools\n");
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("CI jobs of a project may use its own agents and those whose ci_access names it or its group", async () => {
    const summary = async (p: string) =>
      (await agentsUsableByProjectForCi(db, projects[p]!)).map((a) => [
        `${a.projectPath}:${a.agentName}`,
        a.via,
        a.accessAs,
        a.defaultNamespace,
      ]);
    expect(await summary("app")).toEqual([
      ["platform/app:app-cluster", "own", "agent", null],
      ["ext/tools:ext-agent", "ci_access_group", "agent", null],
      ["platform/infra:prod", "ci_access_project", "ci_job", "ci"],
    ]);
    expect(await summary("infra")).toEqual([
      ["platform/infra:prod", "own", "agent", null],
      ["ext/tools:ext-agent", "ci_access_group", "agent", null],
    ]);
    expect(await summary("tools")).toEqual([
      ["ext/tools:ext-agent", "own", "agent", null],
      ["ext/tools:retired", "own", "agent", null],
    ]);
    expect(await summary("own")).toEqual([["out/own:home", "own", "agent", null]]);
    expect(await agentsUsableByProjectForCi(db, "no-such-project")).toEqual([]);
  });

  it("answers exactly what kas's authorization decides, for every project and agent", async () => {
    for (const [pName, projectId] of Object.entries(projects)) {
      const usable = await agentsUsableByProjectForCi(db, projectId);
      const { token } = await createCiJobToken(db, u("root"), projectId, { jobName: "check" });
      for (const [aName, agentId] of Object.entries(agents)) {
        const decision = await authorizeProxy(db, { kind: "ci", agentId, token });
        const listed = usable.find((a) => a.agentId === agentId);
        expect({ pair: `${pName}→${aName}`, allowed: decision.allowed }).toEqual({
          pair: `${pName}→${aName}`,
          allowed: Boolean(listed),
        });
        if (decision.allowed)
          expect({ accessAs: decision.accessAs, ns: decision.defaultNamespace }).toEqual({
            accessAs: listed!.accessAs,
            ns: listed!.defaultNamespace,
          });
      }
    }
  });

  it("a user's access through user_access matches kas's decision for a personal token", async () => {
    for (const [name, user] of Object.entries(users)) {
      const { token } = await createPersonalAccessToken(db, user, {
        name: "check",
        scopes: ["k8s_proxy"],
        expiresInDays: 1,
      });
      for (const [aName, agentId] of Object.entries(agents)) {
        const access = await userAccessToAgent(db, user.id, agentId);
        const decision = await authorizeProxy(db, { kind: "pat", agentId, token });
        expect({ pair: `${name}→${aName}`, allowed: access.allowed }).toEqual({
          pair: `${name}→${aName}`,
          allowed: decision.allowed,
        });
        if (access.allowed && decision.allowed) expect(access.accessAs).toBe(decision.accessAs);
      }
    }
    expect(await userAccessToAgent(db, u("dev").id, agents.prod!)).toEqual({
      allowed: true,
      accessAs: "user",
      via: { projects: [], groups: ["platform"] },
    });
    expect(await userAccessToAgent(db, u("rep").id, agents.prod!)).toMatchObject({
      allowed: false,
      reason: "You need the developer role in a project or group listed in the agent's user_access.",
    });
    expect(await userAccessToAgent(db, u("olga").id, agents.appCluster!)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("no user_access"),
    });
    expect(await userAccessToAgent(db, u("eve").id, agents.retired!)).toMatchObject({
      allowed: true,
      accessAs: "agent",
      via: { projects: ["ext/tools"] },
    });
  });

  it("personal access tokens: validated, shown once, stored as a hash, audited without the secret", async () => {
    const bad = async (input: unknown) =>
      createPersonalAccessToken(db, u("dev"), input).then(
        () => "no error",
        (e: Invalid) => [e.constructor.name, e.message, e.field],
      );
    expect(await bad({ name: " ", scopes: ["k8s_proxy"], expiresInDays: 30 })).toEqual([
      "Invalid",
      "Enter a token name",
      "name",
    ]);
    expect(await bad({ name: "x".repeat(101), scopes: ["k8s_proxy"], expiresInDays: 30 })).toEqual([
      "Invalid",
      "Token name is too long (at most 100 characters)",
      "name",
    ]);
    expect(await bad({ name: "laptop", scopes: [], expiresInDays: 30 })).toEqual([
      "Invalid",
      "Choose at least one scope",
      "scopes",
    ]);
    expect(await bad({ name: "laptop", scopes: ["sudo"], expiresInDays: 30 })).toEqual([
      "Invalid",
      "Scopes must be among: api, read_api, k8s_proxy",
      "scopes.0",
    ]);
    expect(await bad({ name: "laptop", scopes: ["k8s_proxy"], expiresInDays: 0 })).toEqual([
      "Invalid",
      "A token must live at least one day",
      "expiresInDays",
    ]);
    expect(await bad({ name: "laptop", scopes: ["k8s_proxy"], expiresInDays: 366 })).toEqual([
      "Invalid",
      "A token can live at most 365 days",
      "expiresInDays",
    ]);
    expect(await bad({ name: "laptop", scopes: ["k8s_proxy"], expiresInDays: 1.5 })).toMatchObject([
      "Invalid",
      expect.any(String),
      "expiresInDays",
    ]);

    const before = Date.now();
    const created = await createPersonalAccessToken(db, u("dev"), {
      name: "laptop",
      scopes: ["k8s_proxy"],
      expiresInDays: 7,
    });
    expect(created.token).toMatch(new RegExp(`^${PERSONAL_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(created.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(created.expiresAt.getTime()).toBeLessThan(before + 7 * 86_400_000 + 60_000);
    const row = await db.personalAccessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const audit = await db.auditEvent.findMany({ where: { action: "personal_token.created", targetId: u("dev").id } });
    expect(audit.map((a) => a.details).join()).not.toContain(created.token);
  });

  it("one sees and revokes only one's own tokens; revoking twice is audited once; statuses come from the server", async () => {
    const mine = await createPersonalAccessToken(db, u("rep"), {
      name: "ci-scripts",
      scopes: ["k8s_proxy"],
      expiresInDays: 30,
    });
    const theirs = await createPersonalAccessToken(db, u("olga"), {
      name: "olga's",
      scopes: ["k8s_proxy"],
      expiresInDays: 30,
    });
    expect((await listPersonalAccessTokens(db, u("rep"))).map((t) => t.name)).not.toContain("olga's");
    await expect(revokePersonalAccessToken(db, u("rep"), theirs.id)).rejects.toMatchObject({
      constructor: NotFound,
      message: "Token not found",
    });
    await expect(revokePersonalAccessToken(db, u("root"), theirs.id)).rejects.toBeInstanceOf(NotFound); // not even the administrator
    await expect(revokePersonalAccessToken(db, u("rep"), "no-such-token")).rejects.toBeInstanceOf(NotFound);
    expect((await db.personalAccessToken.findUniqueOrThrow({ where: { id: theirs.id } })).revokedAt).toBeNull();

    await revokePersonalAccessToken(db, u("rep"), mine.id);
    await revokePersonalAccessToken(db, u("rep"), mine.id);
    expect(await db.auditEvent.count({ where: { action: "personal_token.revoked", targetId: u("rep").id } })).toBe(1);
    expect(await authorizeProxy(db, { kind: "pat", agentId: agents.prod!, token: mine.token })).toMatchObject({
      allowed: false,
      status: 401,
      reason: "this personal access token was revoked",
    });

    const expiring = await createPersonalAccessToken(db, u("rep"), {
      name: "short",
      scopes: ["k8s_proxy"],
      expiresInDays: 1,
    });
    const view = await personalTokensView(db, u("rep"), Date.now() + 2 * 86_400_000);
    expect(view.scopes).toEqual(["api", "read_api", "k8s_proxy"]);
    const byName = Object.fromEntries(view.tokens.map((t) => [t.name, t]));
    expect(byName["ci-scripts"]).toMatchObject({ status: "revoked", scopes: ["k8s_proxy"], lastUsedAt: null });
    expect(byName.short).toMatchObject({ status: "expired", expiresAt: expiring.expiresAt.toISOString() });
    expect((await personalTokensView(db, u("rep"))).tokens.find((t) => t.name === "short")!.status).toBe("active");
    const json = JSON.stringify(view);
    expect(json).not.toContain("tokenHash");
    expect(json).not.toContain(hashToken(expiring.token));
  });

  it("minting CI job credentials: developers and above; reporters are refused; outsiders are told the project does not exist", async () => {
    await expect(mintCiJobCredentials(db, u("rep"), projects.app!, { jobName: "deploy" }, env)).rejects.toMatchObject({
      constructor: Forbidden,
      message: "You need at least the developer role in this project to run its pipelines",
    });
    for (const id of [projects.app!, "no-such-project"]) {
      await expect(mintCiJobCredentials(db, u("out"), id, { jobName: "deploy" }, env)).rejects.toMatchObject({
        constructor: NotFound,
        message: "Project not found",
      });
    }
    await expect(mintCiJobCredentials(db, u("dev"), projects.app!, { jobName: "" }, env)).rejects.toMatchObject({
      constructor: Invalid,
      message: "Name the job",
      field: "jobName",
    });
    await expect(
      mintCiJobCredentials(db, u("dev"), projects.app!, { jobName: "deploy", ttlMinutes: 24 * 60 + 1 }, env),
    ).rejects.toMatchObject({
      constructor: Invalid,
      message: "A CI job token lives at most 24 hours",
      field: "ttlMinutes",
    });
    await expect(
      mintCiJobCredentials(db, u("dev"), projects.app!, { jobName: "deploy", ttlMinutes: 0 }, env),
    ).rejects.toMatchObject({ constructor: Invalid, field: "ttlMinutes" });
  });

  it("the mint answer: the token, and per usable agent a credential and kubeconfig kas accepts; one kubeconfig with every context", async () => {
    const before = Date.now();
    const r = await mintCiJobCredentials(db, u("dev"), projects.app!, { jobName: "deploy", ttlMinutes: 30 }, env);
    expect(r.jobName).toBe("deploy");
    expect(Date.parse(r.expiresAt) - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(Date.parse(r.expiresAt) - before).toBeLessThan(30 * 60_000 + 60_000);
    expect(r.credentialsFor.map((c) => [c.contextName, c.via, c.accessAs, c.defaultNamespace])).toEqual([
      ["platform/app:app-cluster", "own", "agent", null],
      ["ext/tools:ext-agent", "ci_access_group", "agent", null],
      ["platform/infra:prod", "ci_access_project", "ci_job", "ci"],
    ]);
    for (const c of r.credentialsFor) {
      expect(c.credential).toBe(`ci:${c.agentId}:${r.token}`);
      const cfg = parse(c.kubeconfig) as Kubeconfig;
      expect(cfg["current-context"]).toBe(c.contextName);
      expect(cfg.clusters).toEqual([
        {
          name: "tether",
          cluster: {
            server: "https://127.0.0.1:8164",
            "certificate-authority-data": Buffer.from(PEM).toString("base64"),
          },
        },
      ]);
      expect(cfg.users).toEqual([{ name: `agent:${c.agentId}`, user: { token: c.credential } }]);
      expect(cfg.contexts[0]!.context.namespace).toBe(c.defaultNamespace ?? undefined);
      const d = await authorizeProxy(db, { kind: "ci", agentId: c.agentId, token: r.token });
      expect(d).toMatchObject({ allowed: true, actor: { type: "ci_job", name: "platform/app job deploy" } });
    }
    const all = parse(r.kubeconfig!) as Kubeconfig;
    expect(all.contexts.map((c) => c.name)).toEqual(r.credentialsFor.map((c) => c.contextName));
    expect(all["current-context"]).toBe("platform/app:app-cluster");

    const row = await db.ciJobToken.findUniqueOrThrow({ where: { id: r.tokenId } });
    expect(row).toMatchObject({
      projectId: projects.app,
      jobName: "deploy",
      createdById: u("dev").id,
      tokenHash: hashToken(r.token),
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "ci_job_token.created", targetId: projects.app },
    });
    expect(JSON.parse(audit.details)).toEqual({ tokenId: r.tokenId, jobName: "deploy", agents: 3 });
    expect(audit.details).not.toContain(r.token);

    // A project with nothing shared still gets its token (its own agents only).
    const own = await mintCiJobCredentials(db, u("out"), projects.own!, { jobName: "build" }, env);
    expect(own.credentialsFor.map((c) => c.contextName)).toEqual(["out/own:home"]);
  });

  it("a misconfigured certificate refuses before any token is minted", async () => {
    const count = await db.ciJobToken.count();
    const pats = await db.personalAccessToken.count();
    const broken = { ...env, TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: path.join(certDir, "missing.crt") };
    await expect(mintCiJobCredentials(db, u("dev"), projects.app!, { jobName: "deploy" }, broken)).rejects.toThrow(
      /cannot read the k8s-proxy certificate/,
    );
    await expect(createPersonalKubeconfig(db, u("dev"), agents.prod!, broken)).rejects.toThrow(
      /cannot read the k8s-proxy certificate/,
    );
    expect(await db.ciJobToken.count()).toBe(count);
    expect(await db.personalAccessToken.count()).toBe(pats);
  });

  it("the agent page's kubeconfig: a 30-day k8s_proxy token for anyone who sees the agent, and a context kas accepts", async () => {
    await expect(createPersonalKubeconfig(db, u("out"), agents.prod!, env)).rejects.toMatchObject({
      constructor: NotFound,
      message: "Agent not found",
    });
    const before = Date.now();
    const k = await createPersonalKubeconfig(db, u("dev"), agents.prod!, env);
    expect(k).toMatchObject({
      contextName: "platform/infra:prod",
      tokenName: "kubectl platform/infra:prod",
      server: "https://127.0.0.1:8164",
      access: { allowed: true, accessAs: "user" },
    });
    expect(Date.parse(k.expiresAt) - before).toBeGreaterThanOrEqual(KUBECONFIG_TOKEN_DAYS * 86_400_000 - 1000);
    const cfg = parse(k.kubeconfig) as Kubeconfig;
    expect(cfg["current-context"]).toBe("platform/infra:prod");
    expect(cfg.clusters[0]!.cluster["certificate-authority-data"]).toBe(Buffer.from(PEM).toString("base64"));
    const credential = cfg.users[0]!.user.token;
    expect(credential).toMatch(new RegExp(`^pat:${agents.prod}:${PERSONAL_TOKEN_PREFIX}`));
    const row = await db.personalAccessToken.findUniqueOrThrow({ where: { id: k.tokenId } });
    expect(row).toMatchObject({ userId: u("dev").id, name: "kubectl platform/infra:prod", scopes: "k8s_proxy" });
    const d = await authorizeProxy(db, { kind: "pat", agentId: agents.prod!, token: credential.split(":")[2]! });
    expect(d).toMatchObject({ allowed: true, accessAs: "user", impersonation: { user: "tether:user:dev" } });

    // A reporter sees the agent and gets a kubeconfig, told that user_access does not let them in yet.
    const r = await createPersonalKubeconfig(db, u("rep"), agents.prod!, env);
    expect(r.access).toMatchObject({ allowed: false });
  });

  it("the Connect tab says where kubectl connects, who may use the agent from CI, and whether the viewer may mint", async () => {
    const v = await connectView(db, u("dev"), agents.prod!, env);
    expect(v).toMatchObject({
      contextName: "platform/infra:prod",
      server: "https://127.0.0.1:8164",
      caEmbedded: true,
      webUrl: "http://localhost:3407",
      canMintForProject: true,
      access: { allowed: true },
      project: { fullPath: "platform/infra" },
    });
    expect(v.ciGrants).toEqual([
      { kind: "project", path: "platform/infra", accessAs: "agent", defaultNamespace: null, own: true },
      { kind: "project", path: "platform/app", accessAs: "ci_job", defaultNamespace: "ci", own: false },
    ]);
    // kas's proxy on loopback: the tab warns that the kubeconfig and the CI lines work on this machine only.
    expect(v.warnings.kubeconfig.map((w) => [w.setting, w.severity])).toEqual([
      ["TETHER_KAS_K8S_PROXY_PUBLIC_URL", "unreachable"],
    ]);
    expect(v.warnings.ci.map((w) => w.setting)).toEqual(["TETHER_PUBLIC_URL", "TETHER_KAS_K8S_PROXY_PUBLIC_URL"]);
    const published = await connectView(db, u("dev"), agents.prod!, {
      ...env,
      TETHER_PUBLIC_URL: "https://tether.example.com",
      TETHER_KAS_K8S_PROXY_PUBLIC_URL: "https://kas.example.com:8154",
    });
    expect(published).toMatchObject({
      server: "https://kas.example.com:8154",
      webUrl: "https://tether.example.com",
      warnings: { kubeconfig: [], ci: [] },
    });
    expect((await connectView(db, u("rep"), agents.prod!, env)).canMintForProject).toBe(false);
    await expect(connectView(db, u("out"), agents.prod!, env)).rejects.toBeInstanceOf(NotFound);
  });
});
