// For tests: a real OIDC issuer on loopback over HTTPS (a self-signed certificate), serving discovery
// documents and JWKS for keys made with jose. Each path prefix is its own issuer; `slow` never answers
// its key set and `down` answers 503, so tests see what a CI job sees when an issuer is in trouble.
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWTPayload } from "jose";
import { ensureSelfSignedCert } from "@/lib/common/self-signed";

export interface TestIssuer {
  /** The loopback origin; issuers are `${origin}/<name>`. */
  origin: string;
  /** The certificate to trust (PEM) and its file (for CURL_CA_BUNDLE). */
  caPem: string;
  caFile: string;
  /** The certificate's private key (PEM), to serve something else on loopback with the same trust. */
  keyPem: string;
  issuer(name: string): string;
  /** Signs claims with the published key (or the unpublished one), for `iss` = issuer(name). */
  sign(
    name: string,
    claims: JWTPayload,
    opts?: { unpublishedKey?: boolean; expiresIn?: string | number; notBefore?: number },
  ): Promise<string>;
  /** An unsigned token (alg none) with these claims. */
  unsigned(name: string, claims: JWTPayload): string;
  /** An HS256 token whose "secret" is the issuer's public key (the classic key-confusion forgery). */
  hmacWithPublicKey(name: string, claims: JWTPayload): Promise<string>;
  /** Requests served for the key set (to see caching). */
  jwksRequests(): number;
  close(): Promise<void>;
}

const KID = "test-key-1";

export async function startTestIssuer(): Promise<TestIssuer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-oidc-issuer-"));
  const cert = await ensureSelfSignedCert(dir);
  const caPem = fs.readFileSync(cert.cert, "utf8");
  const published = await generateKeyPair("RS256", { extractable: true });
  const unpublished = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(published.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  const publicPem = await exportSPKI(published.publicKey);
  let jwksCount = 0;
  const hanging = new Set<import("node:http").ServerResponse>();

  const server = https.createServer({ cert: caPem, key: fs.readFileSync(cert.key) }, (req, res) => {
    const m = /^\/([a-z0-9-]+)(\/.*)$/.exec(req.url ?? "");
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!m) return res.writeHead(404).end();
    const [, name, rest] = m;
    if (rest === "/.well-known/openid-configuration")
      return json({
        issuer: `${origin}/${name}`,
        jwks_uri: `${origin}/${name}/jwks`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    if (rest === "/jwks") {
      jwksCount++;
      if (name === "slow") {
        hanging.add(res);
        return;
      }
      if (name === "down") return res.writeHead(503).end("unavailable");
      return json({ keys: [jwk] });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = (name: string) => `${origin}/${name}`;

  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const withTimes = (claims: JWTPayload) => ({ iat: Math.floor(Date.now() / 1000), ...claims });

  return {
    origin,
    caPem,
    caFile: cert.cert,
    keyPem: fs.readFileSync(cert.key, "utf8"),
    issuer,
    async sign(name, claims, opts = {}) {
      const key: CryptoKey = opts.unpublishedKey ? unpublished.privateKey : published.privateKey;
      let jwt = new SignJWT(withTimes(claims))
        .setProtectedHeader({ alg: "RS256", kid: opts.unpublishedKey ? "unknown-key" : KID, typ: "JWT" })
        .setIssuer(issuer(name))
        .setExpirationTime(opts.expiresIn ?? "5m");
      if (opts.notBefore !== undefined) jwt = jwt.setNotBefore(opts.notBefore);
      return jwt.sign(key);
    },
    unsigned(name, claims) {
      const exp = Math.floor(Date.now() / 1000) + 300;
      return `${b64({ alg: "none", typ: "JWT" })}.${b64(withTimes({ iss: issuer(name), exp, ...claims }))}.`;
    },
    async hmacWithPublicKey(name, claims) {
      return new SignJWT(withTimes(claims))
        .setProtectedHeader({ alg: "HS256", kid: KID, typ: "JWT" })
        .setIssuer(issuer(name))
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(publicPem));
    },
    jwksRequests: () => jwksCount,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Claims shaped like a GitHub Actions job's ID token. */
export function githubClaims(repository: string, ref: string, audience: string): JWTPayload {
  const [owner] = repository.split("/");
  return {
    aud: audience,
    sub: `repo:${repository}:ref:${ref}`,
    repository,
    repository_owner: owner,
    ref,
    ref_type: "branch",
    workflow: "deploy",
    run_id: "1234567890",
    actor: "octocat",
    event_name: "push",
    jti: crypto.randomUUID(),
  };
}

/** Claims shaped like a GitLab CI job's ID token (`id_tokens:` with aud). */
export function gitlabClaims(projectPath: string, ref: string, audience: string, refProtected = true): JWTPayload {
  return {
    aud: audience,
    sub: `project_path:${projectPath}:ref_type:branch:ref:${ref}`,
    namespace_path: projectPath.split("/")[0],
    project_path: projectPath,
    project_id: "42",
    ref,
    ref_type: "branch",
    ref_protected: refProtected ? "true" : "false",
    pipeline_id: "777",
    job_id: "9001",
    user_login: "dev",
    jti: crypto.randomUUID(),
  };
}
