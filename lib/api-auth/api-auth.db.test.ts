// Who a REST request acts as, on SQLite and on PostgreSQL: the browser session without an Authorization
// header; with one, only the personal access token in it, refused with a reason when unknown, revoked
// or expired (401) or lacking the scope the method needs (403); kubectl's k8s_proxy stays apart from the API scopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { registerAgent } from "@/lib/agents";
import { projectAuditLog } from "@/lib/audit/audit-pages";
import { withAuditCredential } from "@/lib/audit/audit";
import { authorizeProxy } from "@/lib/kubectl-access/proxy-auth";
import { createProject } from "@/lib/projects";
import { createPersonalAccessToken, revokePersonalAccessToken } from "@/lib/tokens/access-tokens";
import { AGENT_TOKEN_PREFIX, newToken } from "@/lib/tokens/tokens";
import { authenticate, type Authentication } from "./actor";

const request = (method: string, authorization?: string) =>
  new Request("http://tether.test/api/projects", {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });

const refusal = (a: Authentication) => (a.ok ? { ok: true } : { status: a.status, error: a.error });

describe.each(["sqlite", "postgresql"] as const)("API authentication on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let ana: CurrentUser;
  const noSession = async () => null;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    const r = await signUp(db, { name: "Ana", username: "ana", email: "ana@example.com", password: "password123" });
    if (!r.ok) throw new Error(r.error);
    const row = await db.user.findUniqueOrThrow({ where: { id: r.user.id } });
    ana = { id: row.id, username: row.username, name: row.name, email: row.email, isAdmin: row.isAdmin };
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  const pat = async (scopes: string[], name = scopes.join("+")) =>
    createPersonalAccessToken(db, ana, { name, scopes, expiresInDays: 1 });

  it("without an Authorization header the browser session decides", async () => {
    const viaSession = await authenticate(db, request("POST"), async () => ana);
    expect(viaSession).toEqual({ ok: true, actor: { ...ana, via: { kind: "session" } } });
    expect(refusal(await authenticate(db, request("GET"), noSession))).toEqual({
      status: 401,
      error: "Sign in first (your session may have expired), or send an API token as Authorization: Bearer <token>",
    });
  });

  it("an api token acts as its owner for every method and records its last use", async () => {
    const { id, token } = await pat(["api"], "deploy script");
    for (const method of ["GET", "POST", "PUT", "DELETE"]) {
      const a = await authenticate(db, request(method, `Bearer ${token}`), noSession);
      expect(a).toEqual({
        ok: true,
        actor: { ...ana, via: { kind: "personal_token", tokenId: id, tokenName: "deploy script", scopes: ["api"] } },
      });
    }
    const row = await db.personalAccessToken.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("a read_api token reads and is refused on a write, naming the api scope", async () => {
    const { token } = await pat(["read_api"]);
    expect((await authenticate(db, request("GET", `Bearer ${token}`), noSession)).ok).toBe(true);
    expect((await authenticate(db, request("HEAD", `Bearer ${token}`), noSession)).ok).toBe(true);
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const a = await authenticate(db, request(method, `Bearer ${token}`), noSession);
      expect(refusal(a)).toEqual({
        status: 403,
        error: `This token needs the api scope for ${method} requests (it has: read_api)`,
      });
      expect(a.ok ? "" : a.challenge).toBe(`Bearer error="insufficient_scope", scope="api"`);
    }
  });

  it("a k8s_proxy token opens no REST route, and an api token does not open the k8s-proxy", async () => {
    const kubectlOnly = await pat(["k8s_proxy"]);
    expect(refusal(await authenticate(db, request("GET", `Bearer ${kubectlOnly.token}`), noSession))).toEqual({
      status: 403,
      error: "This token needs the read_api or api scope to read through the REST API (it has: k8s_proxy)",
    });
    const projectId = (await createProject(db, ana, { name: "Shop", path: "shop", namespace: "ana" })).id;
    const agentId = (await registerAgent(db, ana, projectId, { name: "prod" })).id;
    const apiOnly = await pat(["api", "read_api"]);
    expect(await authorizeProxy(db, { kind: "pat", agentId, token: apiOnly.token })).toEqual({
      allowed: false,
      status: 403,
      reason: "this personal access token lacks the k8s_proxy scope",
    });
  });

  it("unknown, malformed, revoked and expired tokens get 401 saying which", async () => {
    const cases: [string, string][] = [
      ["Basic YW5hOnBhc3N3b3Jk", "Send the API token as Authorization: Bearer <token>"],
      ["Bearer", "Send the API token as Authorization: Bearer <token>"],
      [`Bearer ${newToken("tthr_pat_")}`, "Unknown API token"],
      [
        `Bearer ${newToken(AGENT_TOKEN_PREFIX)}`,
        "Unknown API token (personal access tokens start with tthr_pat_, project access tokens with tthr_prj_)",
      ],
    ];
    for (const [header, error] of cases)
      expect(refusal(await authenticate(db, request("GET", header), noSession))).toEqual({ status: 401, error });

    const revoked = await pat(["api"], "old laptop");
    await revokePersonalAccessToken(db, ana, revoked.id);
    expect(refusal(await authenticate(db, request("GET", `Bearer ${revoked.token}`), noSession))).toEqual({
      status: 401,
      error: "This personal access token (old laptop) was revoked",
    });

    const expiring = await pat(["api"], "one day");
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(refusal(await authenticate(db, request("GET", `Bearer ${expiring.token}`), noSession, later))).toEqual({
      status: 401,
      error: `This personal access token (one day) expired at ${expiring.expiresAt.toISOString()}`,
    });
  });

  it("a token in the header wins over the session: a bad token is refused even with a signed-in browser", async () => {
    let asked = false;
    const session = async () => {
      asked = true;
      return ana;
    };
    const a = await authenticate(db, request("POST", `Bearer ${newToken("tthr_pat_")}`), session);
    expect(refusal(a)).toEqual({ status: 401, error: "Unknown API token" });
    expect(asked).toBe(false);
  });

  it("what a token's request records in the audit log names the token, and a session's does not", async () => {
    const viaToken = await withAuditCredential({ tokenId: "tok1", tokenName: "deploy script" }, () =>
      createProject(db, ana, { name: "Blog", path: "blog", namespace: "ana" }),
    );
    const viaSession = await createProject(db, ana, { name: "Wiki", path: "wiki", namespace: "ana" });
    const rows = async (id: string) => (await projectAuditLog(db, ana, { id })).rows;
    const [created] = await rows(viaToken.id);
    expect(created).toMatchObject({ actor: "@ana", action: "project.created" });
    expect(created!.details).toEqual(
      expect.arrayContaining([
        { label: "With API token", value: "deploy script" },
        { label: "API token ID", value: "tok1" },
      ]),
    );
    expect((await rows(viaSession.id))[0]!.details.map((d) => d.label)).not.toContain("With API token");
  });
});
