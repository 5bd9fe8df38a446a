// CI identity by OIDC on SQLite and on PostgreSQL, against a real HTTPS issuer on loopback (discovery and
// JWKS served from jose keys): maintainers manage trusted identities; GitHub- and GitLab-shaped ID tokens
// are exchanged for CI job credentials carrying repository and ref; every bad token is refused with its
// own message, mints nothing and is audited; an issuer whose key set is down or slow is a 503 within 10 s.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { saveAgentConfig } from "@/lib/agent-config";
import { registerAgent } from "@/lib/agents";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Forbidden, Invalid, NotFound, Unavailable } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { authorizeProxy, parseProxyCredential, type Kubeconfig } from "@/lib/kubectl-access";
import { createProject } from "@/lib/projects";
import { EXTRA_KEYS, IssuerClient, createCiIdentity, deleteCiIdentity, exchangeCiIdToken, listCiIdentities } from ".";
import { githubClaims, gitlabClaims, startTestIssuer, type TestIssuer } from "./test-issuer";

type U = { id: string; username: string; isAdmin: boolean };

const AUD = "https://tether.example.com";
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-ci-oidc-"));
const certFile = path.join(certDir, "kas-proxy.crt");
fs.writeFileSync(certFile, "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n");
const env = { TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: certFile, TETHER_KAS_K8S_PROXY_ADDRESS: "127.0.0.1:8164" };

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
  fs.rmSync(certDir, { recursive: true, force: true });
});

describe.each(["sqlite", "postgresql"] as const)("CI identity by OIDC on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let issuers: IssuerClient;
  const users: Record<string, U> = {};
  let projectId = "";
  let agentId = "";
  const u = (name: string) => users[name]!;
  const exchange = (input: unknown) => exchangeCiIdToken(db, input, { issuers, env });
  const tokenCount = () => db.ciJobToken.count();
  const lastAudit = async () => {
    const e = await db.auditEvent.findFirstOrThrow({
      where: { action: { startsWith: "ci_credentials." } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return { action: e.action, targetType: e.targetType, details: JSON.parse(e.details) as Record<string, unknown> };
  };

  /** The exchange is refused with `message`, mints nothing, and the refusal is audited with its reason. */
  async function expectRefused(token: string, message: RegExp | string) {
    const before = await tokenCount();
    const err = await exchange({ token }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Forbidden);
    expect((err as Error).message).toMatch(message);
    expect(await tokenCount()).toBe(before);
    const audit = await lastAudit();
    expect(audit.action).toBe("ci_credentials.refused");
    expect(`ID token refused: ${String(audit.details.reason)}`).toBe((err as Error).message);
    return audit;
  }

  beforeAll(async () => {
    issuers = new IssuerClient({ extraCa: issuer.caPem });
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["olga", "dev", "out"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    await createGroup(db, u("olga"), { name: "Acme", path: "acme" });
    await addGroupMember(db, u("olga"), "acme", { username: "dev", role: "developer" });
    projectId = (await createProject(db, u("olga"), { name: "Shop", path: "shop", namespace: "acme" })).id;
    // The agent lives in another project whose ci_access lets acme/shop in, acting as the CI job.
    const infra = (await createProject(db, u("olga"), { name: "Infra", path: "infra", namespace: "acme" })).id;
    agentId = (await registerAgent(db, u("olga"), infra, { name: "prod" })).id;
    await saveAgentConfig(
      db,
      u("olga"),
      agentId,
      "ci_access:\n  projects:\n    - id: acme/shop\n      default_namespace: shop\n      access_as:\n        ci_job: {}\n",
    );
    const trust = (name: string, iss: string, conditions: Record<string, string>) =>
      createCiIdentity(db, u("olga"), projectId, { name, issuer: issuer.issuer(iss), audience: AUD, conditions });
    await trust("GitHub main", "gh", { repository: "acme/shop", ref: "refs/heads/main" });
    await trust("GitLab protected", "gl", { project_path: "acme/shop", ref_protected: "true" });
    await trust("Slow issuer", "slow", { repository: "acme/shop" });
    await trust("Down issuer", "down", { repository: "acme/shop" });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("maintainers manage trusted identities with clear errors; developers and strangers cannot", async () => {
    const list = await listCiIdentities(db, u("dev"), projectId);
    expect(list.map((i) => [i.name, i.conditions])).toContainEqual([
      "GitHub main",
      { repository: "acme/shop", ref: "refs/heads/main" },
    ]);
    await expect(listCiIdentities(db, u("out"), projectId)).rejects.toBeInstanceOf(NotFound);
    const input = {
      name: "Extra",
      issuer: "https://gitlab.example.com",
      audience: AUD,
      conditions: { project_path: "acme/shop" },
    };
    await expect(createCiIdentity(db, u("dev"), projectId, input)).rejects.toThrow(/maintainer role/);
    await expect(
      createCiIdentity(db, u("olga"), projectId, { ...input, issuer: "http://gitlab.example.com" }),
    ).rejects.toThrow(/must be an https:\/\/ URL/);
    const none = await createCiIdentity(db, u("olga"), projectId, { ...input, conditions: {} }).catch(
      (e: unknown) => e,
    );
    expect(none).toBeInstanceOf(Invalid);
    expect((none as Invalid).message).toMatch(/at least one claim condition/);
    await expect(createCiIdentity(db, u("olga"), projectId, { ...input, name: "GitHub main" })).rejects.toBeInstanceOf(
      Conflict,
    );

    const made = await createCiIdentity(db, u("olga"), projectId, input);
    await expect(deleteCiIdentity(db, u("dev"), projectId, made.id)).rejects.toThrow(/maintainer role/);
    await deleteCiIdentity(db, u("olga"), projectId, made.id);
    const actions = (await db.auditEvent.findMany({ where: { action: { startsWith: "ci_identity." } } })).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a === "ci_identity.created")).toHaveLength(5);
    expect(actions).toContain("ci_identity.deleted");
    expect((await listCiIdentities(db, u("olga"), projectId)).map((i) => i.name)).not.toContain("Extra");
  });

  it("a GitHub Actions ID token from main becomes credentials whose impersonation carries repository and ref", async () => {
    const token = await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/main", AUD));
    const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
    const answer = await exchange({ token });
    expect(answer.project).toBe("acme/shop");
    expect(answer.identity).toBe("GitHub main");
    expect(new Date(answer.expiresAt).getTime()).toBeLessThanOrEqual(exp * 1000 + 3_600_000);
    expect(new Date(answer.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(answer.credentialsFor.map((c) => [c.agentName, c.defaultNamespace])).toEqual([["prod", "shop"]]);
    const kc = parse(answer.kubeconfig!) as Kubeconfig;
    expect(kc.contexts.map((c) => c.name)).toEqual(["acme/infra:prod"]);

    const cred = parseProxyCredential(answer.credentialsFor[0]!.credential)!;
    const decision = await authorizeProxy(db, cred);
    expect(decision.allowed && decision.impersonation).toEqual({
      user: `tether:ci_job:${answer.tokenId}`,
      groups: ["tether:ci", `tether:project:${projectId}`, expect.stringMatching(/^tether:group:/)],
      extra: {
        [EXTRA_KEYS.issuer]: [issuer.issuer("gh")],
        [EXTRA_KEYS.subject]: ["repo:acme/shop:ref:refs/heads/main"],
        [EXTRA_KEYS.repository]: ["acme/shop"],
        [EXTRA_KEYS.ref]: ["refs/heads/main"],
      },
    });
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "ci_credentials.issued", targetType: "project" });
    expect(audit.details).toMatchObject({
      iss: issuer.issuer("gh"),
      aud: AUD,
      "claim.repository": "acme/shop",
      "claim.ref": "refs/heads/main",
      tokenId: answer.tokenId,
    });
    expect(JSON.stringify(audit.details)).not.toContain(answer.token);
  });

  it("a GitLab CI ID token from a protected ref is exchanged too, and the key set is fetched once", async () => {
    const before = issuer.jwksRequests();
    for (let i = 0; i < 2; i++) {
      const answer = await exchange({ token: await issuer.sign("gl", gitlabClaims("acme/shop", "main", AUD)) });
      expect([answer.identity, answer.repository, answer.ref]).toEqual(["GitLab protected", "acme/shop", "main"]);
    }
    expect(issuer.jwksRequests() - before).toBeLessThanOrEqual(1);
  });

  it("an ID token from an issuer no project trusts is refused", async () => {
    await expectRefused(
      await issuer.sign("elsewhere", githubClaims("acme/shop", "refs/heads/main", AUD)),
      `ID token refused: no project trusts the issuer ${issuer.issuer("elsewhere")}`,
    );
  });

  it("an ID token for another audience is refused naming both audiences", async () => {
    await expectRefused(
      await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/main", "sts.amazonaws.com")),
      `its audience sts.amazonaws.com is not the one expected for issuer ${issuer.issuer("gh")} (${AUD})`,
    );
  });

  it("an expired ID token is refused with its expiry", async () => {
    const exp = Math.floor(Date.now() / 1000) - 600;
    await expectRefused(
      await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/main", AUD), { expiresIn: exp }),
      `it expired at ${new Date(exp * 1000).toISOString()}`,
    );
  });

  it("an ID token not yet valid is refused", async () => {
    await expectRefused(
      await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/main", AUD), {
        notBefore: Math.floor(Date.now() / 1000) + 3600,
      }),
      /it is not valid before /,
    );
  });

  it("an ID token whose claims miss a condition is refused naming the claim", async () => {
    const audit = await expectRefused(
      await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/feature", AUD)),
      'its claim ref is "refs/heads/feature", but must be "refs/heads/main" (trusted identity "GitHub main" of acme/shop)',
    );
    expect(audit.details["claim.ref"]).toBe("refs/heads/feature");
    await expectRefused(
      await issuer.sign("gl", gitlabClaims("acme/shop", "feature", AUD, false)),
      'its claim ref_protected is "false", but must be "true"',
    );
  });

  it("an ID token signed by a key the issuer does not publish is refused", async () => {
    await expectRefused(
      await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/main", AUD), { unpublishedKey: true }),
      "it is signed with a key the issuer does not publish (kid unknown-key)",
    );
  });

  it("an unsigned (alg none) ID token is refused", async () => {
    await expectRefused(
      issuer.unsigned("gh", githubClaims("acme/shop", "refs/heads/main", AUD)),
      "it is unsigned (alg none)",
    );
  });

  it("an HS256 ID token signed with the issuer's public key is refused", async () => {
    await expectRefused(
      await issuer.hmacWithPublicKey("gh", githubClaims("acme/shop", "refs/heads/main", AUD)),
      "it is signed with HS256, a shared-secret algorithm",
    );
  });

  it("garbage and a missing token get clear errors", async () => {
    await expectRefused("not-a-jwt", "it is not a JWT");
    await expect(exchange({})).rejects.toThrow("Send the CI job's OIDC ID token as `token`");
  });

  it("an issuer whose key set never answers is a 503 within 10 s, and one that is down is a 503 at once", async () => {
    for (const name of ["slow", "down"]) {
      const before = await tokenCount();
      const started = Date.now();
      const err = await exchange({
        token: await issuer.sign(name, githubClaims("acme/shop", "refs/heads/main", AUD)),
      }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(err).toBeInstanceOf(Unavailable);
      expect((err as Error).message).toContain(`the issuer's key set ${issuer.issuer(name)}/jwks`);
      expect(await tokenCount()).toBe(before);
      expect((await lastAudit()).details.reason).toBe((err as Error).message);
    }
  }, 30_000);
});
