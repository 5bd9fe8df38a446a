// Who makes a REST request: the browser session's user, or the owner of the API token in the
// Authorization header (never a cookie, a query parameter or a form field). Token refusals say why:
// 401 for an unknown, revoked or expired token, 403 naming the scope the request needs.
import { Counter } from "prom-client";
import type { CurrentUser } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { webMetricsRegistry } from "@/lib/metrics";
import { PERSONAL_TOKEN_PREFIX, hashToken, looksLikeToken } from "@/lib/tokens/tokens";
import { missingScopeMessage, scopeNeeded, scopesAllow } from "./scopes";

const log = logger.child({ capability: "api-auth" });

/** How the actor proved who they are; a token actor carries the token's id and name for audit rows. */
export type ActorVia =
  { kind: "session" } | { kind: "personal_token"; tokenId: string; tokenName: string; scopes: string[] };

export type ApiActor = CurrentUser & { via: ActorVia };

export type Authentication =
  { ok: true; actor: ApiActor } | { ok: false; status: 401 | 403; error: string; challenge: string };

/** A last-used time within this much of now is left alone: a script's burst of calls is one write. */
const LAST_USED_GRANULARITY_MS = 60_000;

const g = globalThis as unknown as { tetherApiAuthCounter?: Counter<"via" | "outcome"> };
function outcomes(): Counter<"via" | "outcome"> {
  g.tetherApiAuthCounter ??= new Counter({
    name: "tether_web_api_auth_total",
    help: "REST API authentications by how the caller came (session, token) and the outcome",
    labelNames: ["via", "outcome"],
    registers: [webMetricsRegistry()],
  });
  return g.tetherApiAuthCounter;
}

function refuse(status: 401 | 403, error: string, challenge: string): Authentication {
  outcomes().inc({ via: "token", outcome: status === 401 ? "invalid_token" : "insufficient_scope" });
  log.info({ event: "api_token_refused", status, reason: error }, "API token refused");
  return { ok: false, status, error, challenge };
}

const invalidToken = (error: string) => refuse(401, error, `Bearer error="invalid_token"`);

/**
 * Authenticates a request. With an Authorization header the token alone decides (a session cookie
 * beside it is ignored); without one, `sessionUser` is asked for the browser session's user.
 */
export async function authenticate(
  db: Db,
  req: Request,
  sessionUser: () => Promise<CurrentUser | null>,
  now = new Date(),
): Promise<Authentication> {
  const header = req.headers.get("authorization");
  if (header === null) {
    const user = await sessionUser();
    if (!user) {
      outcomes().inc({ via: "session", outcome: "none" });
      return {
        ok: false,
        status: 401,
        error: "Sign in first (your session may have expired), or send an API token as Authorization: Bearer <token>",
        challenge: "Bearer",
      };
    }
    outcomes().inc({ via: "session", outcome: "ok" });
    return { ok: true, actor: { ...user, via: { kind: "session" } } };
  }

  const bearer = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (!bearer) return invalidToken("Send the API token as Authorization: Bearer <token>");
  if (!looksLikeToken(bearer, PERSONAL_TOKEN_PREFIX))
    return invalidToken(`Unknown API token (personal access tokens start with ${PERSONAL_TOKEN_PREFIX})`);
  const row = await db.personalAccessToken.findUnique({
    where: { tokenHash: hashToken(bearer) },
    include: {
      user: {
        select: {
          id: true,
          username: true,
          name: true,
          email: true,
          isAdmin: true,
          blockedAt: true,
          pendingApproval: true,
        },
      },
    },
  });
  if (!row) return invalidToken("Unknown API token");
  if (row.revokedAt) return invalidToken(`This personal access token (${row.name}) was revoked`);
  if (row.user.blockedAt) return invalidToken(`The owner of this personal access token (${row.name}) is blocked`);
  if (row.user.pendingApproval)
    return invalidToken(`The owner of this personal access token (${row.name}) waits for an administrator's approval`);
  if (row.expiresAt <= now)
    return invalidToken(`This personal access token (${row.name}) expired at ${row.expiresAt.toISOString()}`);
  const scopes = row.scopes.split(" ").filter(Boolean);
  if (!scopesAllow(scopes, req.method))
    return refuse(
      403,
      missingScopeMessage(scopes, req.method),
      `Bearer error="insufficient_scope", scope="${scopeNeeded(req.method)}"`,
    );
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS)
    await db.personalAccessToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  outcomes().inc({ via: "token", outcome: "ok" });
  return {
    ok: true,
    actor: {
      id: row.user.id,
      username: row.user.username,
      name: row.user.name,
      email: row.user.email,
      isAdmin: row.user.isAdmin,
      via: { kind: "personal_token", tokenId: row.id, tokenName: row.name, scopes },
    },
  };
}
