// Who makes a REST request: the browser session's user, the owner of the personal access token in the
// Authorization header, or the bot of the project access token there (never a cookie, a query parameter or a
// form field). Token refusals say why: 401 for an unknown, revoked or expired token, 403 naming the scope the
// request needs. A project token's bot carries its one project and role (Actor.projectBot) for lib/access.
import { Counter } from "prom-client";
import type { ProjectBot } from "@/lib/access";
import type { CurrentUser } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { webMetricsRegistry } from "@/lib/metrics";
import { botRoleOf } from "@/lib/project-tokens";
import {
  PERSONAL_TOKEN_PREFIX,
  PROJECT_TOKEN_PREFIX,
  hashToken,
  lastUseIsStale,
  looksLikeToken,
} from "@/lib/tokens/tokens";
import { missingScopeMessage, scopeNeeded, scopesAllow } from "./scopes";

const log = logger.child({ capability: "api-auth" });

/** How the actor proved who they are; a token actor carries the token's id and name for audit rows. */
export type ActorVia =
  | { kind: "session" }
  | { kind: "personal_token"; tokenId: string; tokenName: string; scopes: string[] }
  | { kind: "project_token"; tokenId: string; tokenName: string; scopes: string[] };

/** A project token's actor is its bot, with `projectBot` set; everyone else has none. */
export type ApiActor = CurrentUser & { via: ActorVia; projectBot?: ProjectBot | null };

export type Authentication =
  { ok: true; actor: ApiActor } | { ok: false; status: 401 | 403; error: string; challenge: string };

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

const missingScope = (scopes: string[], method: string) =>
  refuse(403, missingScopeMessage(scopes, method), `Bearer error="insufficient_scope", scope="${scopeNeeded(method)}"`);

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
  if (looksLikeToken(bearer, PROJECT_TOKEN_PREFIX)) return projectTokenActor(db, req, bearer, now);
  if (!looksLikeToken(bearer, PERSONAL_TOKEN_PREFIX))
    return invalidToken(
      `Unknown API token (personal access tokens start with ${PERSONAL_TOKEN_PREFIX}, project access tokens with ${PROJECT_TOKEN_PREFIX})`,
    );
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
  if (!scopesAllow(scopes, req.method)) return missingScope(scopes, req.method);
  if (lastUseIsStale(row.lastUsedAt, now))
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

/** A project access token: its bot, with exactly the token's role in the token's project. */
async function projectTokenActor(db: Db, req: Request, bearer: string, now: Date): Promise<Authentication> {
  const row = await db.projectAccessToken.findUnique({
    where: { tokenHash: hashToken(bearer) },
    include: { botUser: { select: { id: true, username: true, name: true, email: true, blockedAt: true } } },
  });
  if (!row) return invalidToken("Unknown API token");
  if (row.revokedAt) return invalidToken(`This project access token (${row.name}) was revoked`);
  if (row.botUser.blockedAt) return invalidToken(`The bot of this project access token (${row.name}) is blocked`);
  if (row.expiresAt <= now)
    return invalidToken(`This project access token (${row.name}) expired at ${row.expiresAt.toISOString()}`);
  const role = botRoleOf(row.role);
  if (!role) return invalidToken(`This project access token (${row.name}) has no valid role`);
  const scopes = row.scopes.split(" ").filter(Boolean);
  if (!scopesAllow(scopes, req.method)) return missingScope(scopes, req.method);
  if (lastUseIsStale(row.lastUsedAt, now))
    await db.projectAccessToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  outcomes().inc({ via: "token", outcome: "ok" });
  return {
    ok: true,
    actor: {
      id: row.botUser.id,
      username: row.botUser.username,
      name: row.botUser.name,
      email: row.botUser.email,
      isAdmin: false,
      projectBot: { projectId: row.projectId, role },
      via: { kind: "project_token", tokenId: row.id, tokenName: row.name, scopes },
    },
  };
}
