// Secret tokens: 256 random bits, base64url, behind a recognisable prefix so secret scanners can spot
// them. Only the SHA-256 of a token is stored; comparing hashes needs no constant-time care because
// the lookup is by hash, never by the secret.
import { createHash, randomBytes } from "node:crypto";

export const AGENT_TOKEN_PREFIX = "tthr_agent_";
export const PERSONAL_TOKEN_PREFIX = "tthr_pat_";
export const CI_JOB_TOKEN_PREFIX = "tthr_ci_";
/** A project access token (lib/project-tokens): distinct from a personal one, so a scanner and a reader can tell them apart. */
export const PROJECT_TOKEN_PREFIX = "tthr_prj_";

/** What a personal or project access token may be used for: api (REST, read and write), read_api (REST reads), k8s_proxy (kubectl through kas). */
export const API_TOKEN_SCOPES = ["api", "read_api", "k8s_proxy"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A shape check before any database work: right prefix, right length, base64url alphabet. */
export function looksLikeToken(token: string, prefix: string): boolean {
  return token.startsWith(prefix) && /^[A-Za-z0-9_-]{43}$/.test(token.slice(prefix.length));
}

/** A last-used time within this much of now is left alone: a script's burst of calls is one write. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** Whether a token's last-used time is old enough to be written again (at most one write a minute). */
export function lastUseIsStale(lastUsedAt: Date | null, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS;
}
