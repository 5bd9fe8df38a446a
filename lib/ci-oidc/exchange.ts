// POST /api/ci/credentials: a CI job's OIDC ID token in, the project's CI job credentials out. The token
// is verified against its issuer's published keys (signature, issuer, expiry, not-before), then its
// audience and claims against the project's trusted identities. Every exchange is audited with the claims
// that decided it, never with the token.
import { Counter } from "prom-client";
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Forbidden, Invalid, Unavailable, invalidFrom } from "@/lib/errors";
import { ciJobCredentialsFor, k8sProxyCaData, k8sProxyServerUrl, type CiJobCredentials } from "@/lib/kubectl-access";
import { logger } from "@/lib/log/logger";
import { webMetricsRegistry } from "@/lib/metrics";
import { CI_JOB_TOKEN_PREFIX, hashToken, newToken } from "@/lib/tokens/tokens";
import { parseConditions } from "./identities";
import { defaultIssuerClient, type IssuerClient } from "./issuer";

const log = logger.child({ capability: "ci-oidc" });

/** Asymmetric algorithms only: an HMAC "signature" could be made by anyone holding the issuer's public key. */
export const ACCEPTED_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
];

/** Credentials live at most this long past the ID token's own expiry, and never more than a day. */
const GRACE_AFTER_ID_TOKEN_MS = 60 * 60_000;
const MAX_LIFETIME_MS = 24 * 60 * 60_000;

/** The impersonation extra keys a CI job's proven identity travels under (RBAC and audit logs see them). */
export const EXTRA_KEYS = {
  issuer: "ci.tether.dev/issuer",
  subject: "ci.tether.dev/subject",
  repository: "ci.tether.dev/repository",
  ref: "ci.tether.dev/ref",
} as const;

export const ciCredentialsRequestSchema = z.object({
  token: z
    .string({ error: "Send the CI job's OIDC ID token as `token`" })
    .trim()
    .min(1, "Send the CI job's OIDC ID token as `token`")
    .max(16_384, "The ID token is too long (at most 16 KiB)"),
  /** The project's full path, needed only when several projects trust the same job. */
  project: z.string().trim().min(1).max(300).optional(),
});

export interface CiOidcCredentials extends CiJobCredentials {
  project: string;
  identity: string;
  repository: string | null;
  ref: string | null;
}

export interface ExchangeOptions {
  issuers?: IssuerClient;
  env?: Record<string, string | undefined>;
  ip?: string;
}

type Outcome = "issued" | "refused" | "unavailable";

const g = globalThis as unknown as { tetherCiOidcExchanges?: Counter<"result"> };
function countExchange(result: Outcome): void {
  g.tetherCiOidcExchanges ??= new Counter({
    name: "tether_web_ci_oidc_exchanges_total",
    help: "CI job ID tokens exchanged for credentials, by result (issued, refused, unavailable)",
    labelNames: ["result"],
    registers: [webMetricsRegistry()],
  });
  g.tetherCiOidcExchanges.inc({ result });
}

const claimText = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;

const audiences = (p: JWTPayload): string[] => (typeof p.aud === "string" ? [p.aud] : (p.aud ?? []));

/** Exchanges a CI job's ID token for CI job credentials of the project that trusts it; audits either way. */
export async function exchangeCiIdToken(
  db: Db,
  input: unknown,
  opts: ExchangeOptions = {},
): Promise<CiOidcCredentials> {
  const env = opts.env ?? process.env;
  // Claims that decided, for the audit log; filled in as they are read.
  const decided: Record<string, string | number | boolean | null> = {};
  let target: { type: string; id: string } = { type: "ci_issuer", id: "unknown" };

  const audit = async (outcome: Outcome, reason: string, extra: Record<string, string | number | null> = {}) => {
    countExchange(outcome);
    await recordAudit(db, {
      actorId: null,
      action: outcome === "issued" ? "ci_credentials.issued" : "ci_credentials.refused",
      targetType: target.type,
      targetId: target.id,
      details: { ...decided, ...extra, reason },
      ip: opts.ip,
    });
    log.info({ outcome, reason, target, claims: decided }, "ci id token exchange");
  };
  const refuse = async (reason: string): Promise<never> => {
    await audit("refused", reason);
    throw new Forbidden("ci id token", `ID token refused: ${reason}`);
  };

  const parsed = ciCredentialsRequestSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { token, project: projectPath } = parsed.data;

  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    return refuse("it is not a JWT (expected three base64url parts: header.payload.signature)");
  }
  const alg = String(header.alg ?? "");
  decided.alg = alg;
  decided.kid = header.kid ?? null;
  if (alg === "none" || alg === "")
    return refuse("it is unsigned (alg none); only tokens signed with the issuer's private key are accepted");
  if (/^HS/i.test(alg))
    return refuse(
      `it is signed with ${alg}, a shared-secret algorithm; OIDC issuers sign with their private key (RS256, ES256, …)`,
    );
  if (!ACCEPTED_ALGORITHMS.includes(alg))
    return refuse(`its algorithm ${alg} is not accepted (accepted: ${ACCEPTED_ALGORITHMS.join(", ")})`);

  const iss = unverified.iss;
  if (typeof iss !== "string" || !iss) return refuse("it has no iss (issuer) claim");
  decided.iss = iss;
  target = { type: "ci_issuer", id: iss.slice(0, 300) };

  const candidates = await db.ciTrustedIdentity.findMany({
    where: { issuer: iss, ...(projectPath ? { project: { fullPath: projectPath.toLowerCase() } } : {}) },
    include: { project: { select: { id: true, fullPath: true } } },
    orderBy: { createdAt: "asc" },
  });
  if (candidates.length === 0)
    return refuse(
      projectPath
        ? `project ${projectPath} does not trust the issuer ${iss}`
        : `no project trusts the issuer ${iss} (a maintainer adds it under the project's Settings → Trusted CI identities)`,
    );
  const projectIds = new Set(candidates.map((c) => c.projectId));
  if (projectIds.size === 1) target = { type: "project", id: candidates[0]!.projectId };

  const issuers = opts.issuers ?? defaultIssuerClient(env);
  let jwksUri: string;
  try {
    jwksUri = await issuers.jwksUri(iss);
  } catch (e) {
    if (e instanceof Unavailable) await audit("unavailable", e.message);
    throw e;
  }
  const keys: JWTVerifyGetKey = issuers.keySet(jwksUri);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: iss,
      algorithms: ACCEPTED_ALGORITHMS,
      requiredClaims: ["exp"],
      clockTolerance: 30,
    }));
  } catch (e) {
    const reason = verificationRefusal(e, unverified, header.kid);
    if (reason) return refuse(reason);
    const message =
      e instanceof errors.JWKSTimeout
        ? `the issuer's key set ${jwksUri} did not answer in time; try again later`
        : `the issuer's key set ${jwksUri} could not be fetched (${e instanceof Error ? e.message : String(e)}); try again later`;
    await audit("unavailable", message);
    throw new Unavailable(message);
  }

  decided.sub = claimText(payload.sub);
  decided.aud = audiences(payload).join(" ");
  decided.exp = payload.exp ?? null;
  for (const c of candidates)
    for (const claim of Object.keys(parseConditions(c.conditions)))
      decided[`claim.${claim}`] = claimText(payload[claim]);

  const aud = audiences(payload);
  const forAudience = candidates.filter((c) => aud.includes(c.audience));
  if (forAudience.length === 0) {
    const expected = [...new Set(candidates.map((c) => c.audience))].join(", ");
    return refuse(`its audience ${aud.join(", ") || "(none)"} is not the one expected for issuer ${iss} (${expected})`);
  }
  const unmet = (conditions: Record<string, string>): string | null => {
    for (const [claim, want] of Object.entries(conditions)) {
      const got = claimText(payload[claim]);
      if (got === null) return `it has no claim ${claim}, which must be "${want}"`;
      if (got !== want) return `its claim ${claim} is "${got}", but must be "${want}"`;
    }
    return null;
  };
  const matching = forAudience.filter((c) => unmet(parseConditions(c.conditions)) === null);
  if (matching.length === 0) {
    const first = forAudience[0]!;
    return refuse(
      `${unmet(parseConditions(first.conditions))} (trusted identity "${first.name}" of ${first.project.fullPath})`,
    );
  }
  const projects = [...new Set(matching.map((c) => c.project.fullPath))];
  if (projects.length > 1) {
    await audit("refused", `several projects trust this job: ${projects.join(", ")}`);
    throw new Invalid(`Several projects trust this job (${projects.join(", ")}); name one in \`project\``, "project");
  }
  const identity = matching[0]!;
  target = { type: "project", id: identity.projectId };

  const repository = claimText(payload.repository) ?? claimText(payload.project_path);
  const ref = claimText(payload.ref);
  const extra: Record<string, string[]> = { [EXTRA_KEYS.issuer]: [iss] };
  if (typeof payload.sub === "string") extra[EXTRA_KEYS.subject] = [payload.sub];
  if (repository) extra[EXTRA_KEYS.repository] = [repository];
  if (ref) extra[EXTRA_KEYS.ref] = [ref];

  const now = Date.now();
  const expiresAt = new Date(Math.min(payload.exp! * 1000 + GRACE_AFTER_ID_TOKEN_MS, now + MAX_LIFETIME_MS));
  const jobName = `${identity.name}: ${repository ?? payload.sub ?? "job"}${ref ? ` ${ref}` : ""}`.slice(0, 200);
  const server = k8sProxyServerUrl(env);
  const caData = k8sProxyCaData(env);
  const secret = newToken(CI_JOB_TOKEN_PREFIX);
  const row = await db.ciJobToken.create({
    data: {
      projectId: identity.projectId,
      jobName,
      tokenHash: hashToken(secret),
      expiresAt,
      ciIdentityId: identity.id,
      impersonationExtra: JSON.stringify(extra),
    },
  });
  const answer = await ciJobCredentialsFor(
    db,
    identity.projectId,
    { id: row.id, token: secret, expiresAt, jobName },
    { server, caData },
  );
  await audit("issued", `trusted identity "${identity.name}"`, {
    identityId: identity.id,
    tokenId: row.id,
    expiresAt: expiresAt.toISOString(),
    agents: answer.credentialsFor.length,
  });
  return { ...answer, project: identity.project.fullPath, identity: identity.name, repository, ref };
}

/** The refusal for a token that failed verification; null when the issuer's keys could not be had. */
function verificationRefusal(e: unknown, unverified: JWTPayload, kid: string | undefined): string | null {
  const at = (s: number | undefined) => (s ? new Date(s * 1000).toISOString() : "an unknown time");
  if (e instanceof errors.JWTExpired) return `it expired at ${at(unverified.exp)}`;
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "nbf") return `it is not valid before ${at(unverified.nbf)}`;
    if (e.claim === "exp") return "it has no exp (expiry) claim";
    if (e.claim === "iat") return "its iat (issued at) claim is invalid";
    if (e.claim === "iss") return `its issuer does not match the discovery document`;
    return `its claim ${e.claim} is invalid (${e.message})`;
  }
  if (e instanceof errors.JWKSNoMatchingKey)
    return `it is signed with a key the issuer does not publish (kid ${kid ?? "none"})`;
  if (e instanceof errors.JWKSMultipleMatchingKeys)
    return "it names no kid and the issuer publishes several keys that could have signed it";
  if (e instanceof errors.JWSSignatureVerificationFailed)
    return `its signature does not verify with the issuer's key${kid ? ` ${kid}` : ""}`;
  if (e instanceof errors.JOSEAlgNotAllowed) return `its algorithm is not accepted (${e.message})`;
  if (e instanceof errors.JWTInvalid || e instanceof errors.JWSInvalid) return `it is malformed (${e.message})`;
  return null;
}
