// Every route, tried as an outsider would: each operation of the REST API (read from the installation's
// own OpenAPI document, so a new route is swept without editing this file) without a session, then as a
// signed-in user who is no member of anything, against another user's real project, agent, group and
// tokens; and web's internal API for kas with no, forged, unsigned (alg none), expired and misdirected JWTs.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "./test";
import { SignJWT, UnsecuredJWT } from "jose";
import {
  createProjectAgent,
  newSignedInPage,
  recordMintedSecret,
  signedInPageAs,
  type ProjectAgent,
  type TestUser,
} from "./helpers";

test.describe.configure({ mode: "serial" });

interface Operation {
  method: string;
  path: string;
  /** False for operations that need no sign-in (sign-up, the document itself, CI ID tokens, forge webhooks). */
  signedIn: boolean;
}

async function operations(request: APIRequestContext): Promise<Operation[]> {
  const doc = (await (await request.get("/api/openapi.json")).json()) as {
    paths: Record<string, Record<string, { security: unknown[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([m, op]) => ({ method: m.toUpperCase(), path: p, signedIn: op.security.length > 0 })),
  );
}

async function call(request: APIRequestContext, method: string, url: string) {
  const res = await request.fetch(url, {
    method,
    data: method === "GET" || method === "DELETE" ? undefined : {},
    maxRedirects: 0,
    timeout: 15_000,
  });
  return { status: res.status(), body: await res.text() };
}

const MISSING = "c0ffee0000000000000000000";

let owner: TestUser;
let owned: ProjectAgent & { group: string; tokenId: string; patId: string; userId: string };

test.beforeAll(async ({ browser }) => {
  const { page, user } = await newSignedInPage(browser, "owner");
  owner = user;
  const group = `vault-${Date.now().toString(36)}`;
  expect((await page.request.post("/api/groups", { data: { name: group, path: group } })).status()).toBe(201);
  const pa = await createProjectAgent(page, user, "secret-plans", group);
  const tokens = (await (await page.request.get(`/api/agents/${pa.agentId}/tokens`)).json()) as {
    tokens: { id: string }[];
  };
  const pat = await page.request.post("/api/user/tokens", { data: { name: "owner laptop", scopes: ["api"] } });
  expect(pat.status()).toBe(201);
  const patBody = (await pat.json()) as { id: string; token: string };
  recordMintedSecret(patBody.token);
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user: { id: string } };
  owned = {
    ...pa,
    group,
    tokenId: tokens.tokens[0]!.id,
    patId: patBody.id,
    userId: session.user.id,
  };
});

/** The path with the owner's real ids, or with ids that exist nowhere. */
function fill(p: string, real: boolean): string {
  const agentRoute = p.startsWith("/api/agents/");
  const values: Record<string, string> = real
    ? {
        id: p.startsWith("/api/projects/")
          ? owned.projectId
          : agentRoute
            ? owned.agentId
            : p.startsWith("/api/user/tokens/")
              ? owned.patId
              : p.startsWith("/api/users/")
                ? owned.userId
                : MISSING,
        path: owned.group,
        username: owner.username,
        tokenId: owned.tokenId,
        version: "1",
        identityId: MISSING,
      }
    : {
        id: MISSING,
        path: "no-such-group",
        username: "no-such-user",
        tokenId: MISSING,
        version: "1",
        identityId: MISSING,
      };
  return p.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? MISSING));
}

test("without a session, every operation that needs one answers 401 and nothing else", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const ops = await operations(anonymous);
  expect(ops.length).toBeGreaterThan(60);
  const wrong: string[] = [];
  for (const op of ops.filter((o) => o.signedIn)) {
    const { status, body } = await call(anonymous, op.method, fill(op.path, true));
    if (status !== 401) wrong.push(`${op.method} ${op.path}: ${status} ${body.slice(0, 120)}`);
    if (body.includes(owned.agentId) || body.includes(owned.group)) wrong.push(`${op.method} ${op.path}: leaks ids`);
  }
  // The internal routes and the metrics endpoint are not in the document; they refuse an outsider too.
  expect((await anonymous.get("/api/metrics")).status()).toBe(404);
  expect((await anonymous.post("/api/internal/kas/verify-agent-token", { data: {} })).status()).toBe(401);
  expect(wrong).toEqual([]);
  await anonymous.dispose();
});

test("a signed-in outsider gets, on another user's project, agent, group, tokens and on the admin routes, exactly the answer a missing one gets, and changes nothing", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page } = await newSignedInPage(browser, "prober");
  const ops = (await operations(page.request)).filter((o) => o.signedIn && o.path.includes("{"));
  const wrong: string[] = [];
  for (const op of ops) {
    const real = await call(page.request, op.method, fill(op.path, true));
    const missing = await call(page.request, op.method, fill(op.path, false));
    const scrub = (s: string) =>
      [owned.projectId, owned.agentId, owned.group, owned.tokenId, owned.patId, owned.userId, owner.username, MISSING]
        .concat(["no-such-group", "no-such-user"])
        .reduce((t, v) => t.split(v).join("<id>"), s);
    if (real.status < 400) wrong.push(`${op.method} ${op.path}: ${real.status} for an outsider`);
    if (real.status !== missing.status || scrub(real.body) !== scrub(missing.body))
      wrong.push(`${op.method} ${op.path}: ${real.status} ${real.body} vs missing ${missing.status} ${missing.body}`);
    if (op.method === "GET" && ![400, 403, 404].includes(real.status))
      wrong.push(
        `${op.method} ${op.path}: ${real.status} (expected 404, 403 on an admin route, or 400 for a bad query)`,
      );
  }
  // Listings show the outsider nothing of the owner's.
  for (const list of ["/api/projects", "/api/user/tokens"]) {
    const body = await (await page.request.get(list)).text();
    for (const v of [owned.projectId, owned.agentId, owned.group, owned.patId])
      if (body.includes(v)) wrong.push(`GET ${list} shows the owner's ${v}`);
  }
  expect(wrong).toEqual([]);

  // Nothing changed: the owner still has the project, its agent and token, the group and the personal token.
  const { page: ownerPage } = await signedInPageAs(browser, owner);
  const agents = await ownerPage.request.get(`/api/projects/${owned.projectId}/agents`);
  expect(agents.status()).toBe(200);
  expect(await agents.text()).toContain(owned.agentId);
  const tokens = (await (await ownerPage.request.get(`/api/agents/${owned.agentId}/tokens`)).json()) as {
    tokens: { id: string; revokedAt?: string | null }[];
  };
  const agentToken = tokens.tokens.find((t) => t.id === owned.tokenId);
  expect(agentToken).toBeDefined();
  expect(agentToken!.revokedAt ?? null).toBeNull();
  expect((await ownerPage.goto(`/groups/${owned.group}`))?.status()).toBe(200);
  const pats = (await (await ownerPage.request.get("/api/user/tokens")).json()) as {
    tokens: { id: string; revokedAt: string | null }[];
  };
  expect(pats.tokens.find((t) => t.id === owned.patId)).toMatchObject({ revokedAt: null });
});

test("web's internal API for kas refuses no, forged, unsigned (alg none), expired and misdirected tokens; a fresh one from kas works", async ({
  request,
}) => {
  // As scripts/start.ts keeps it for the e2e run (TETHER_KAS_SHARED_SECRET_FILE unset).
  const secret = fs.readFileSync(path.resolve(__dirname, "..", "data", "secrets", "kas-shared-secret"), "utf8").trim();
  const key = new TextEncoder().encode(secret);
  const now = Math.floor(Date.now() / 1000);
  const jwt = (opts: { iss?: string; aud?: string; iat?: number; exp?: number; signWith?: Uint8Array }) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(opts.iss ?? "tether-kas")
      .setAudience(opts.aud ?? "tether-web")
      .setIssuedAt(opts.iat ?? now)
      .setExpirationTime(opts.exp ?? now + 60)
      .sign(opts.signWith ?? key);
  const verify = (authorization?: string) =>
    request.post("/api/internal/kas/verify-agent-token", {
      headers: authorization ? { authorization } : {},
      data: { token: owned.token },
    });
  const refused = async (authorization: string | undefined, message: RegExp) => {
    const res = await verify(authorization);
    expect(res.status(), authorization ?? "no token").toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  };

  await refused(undefined, /missing internal API token/);
  await refused(`Bearer ${await jwt({ signWith: new TextEncoder().encode("x".repeat(secret.length)) })}`, /rejected/);
  const unsigned = new UnsecuredJWT({})
    .setIssuer("tether-kas")
    .setAudience("tether-web")
    .setIssuedAt()
    .setExpirationTime("60s");
  await refused(`Bearer ${unsigned.encode()}`, /rejected/);
  await refused(`Bearer ${await jwt({ iat: now - 600, exp: now - 300 })}`, /expired/);
  await refused(`Bearer ${await jwt({ iss: "tether-web", aud: "tether-kas" })}`, /rejected/);
  // A token kas's peers sign for each other is no token for web either.
  await refused(`Bearer ${await jwt({ iss: "tether-kas-peer", aud: "tether-kas-peer" })}`, /rejected/);

  const ok = await verify(`Bearer ${await jwt({})}`);
  expect(ok.status()).toBe(200);
  expect(((await ok.json()) as { agentId: string }).agentId).toBe(owned.agentId);
});
