// Project access tokens, after GitLab's: a project maintainer makes a token for a script or kubectl that
// acts as its own bot user with one role (developer or maintainer) in this one project and nothing else.
// Prefixed, stored as SHA-256 only, shown once, expiring within a year, revocable; creation and revocation
// are audited on the project. The bot is a User row (so audit rows and "created by" name it) that has no
// password and no group, owns nothing, and is deleted with the project.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { can, findProjectFor, type Actor, type ProjectFacts } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Forbidden, NotFound, invalidFrom } from "@/lib/errors";
import { logger } from "@/lib/log/logger";
import { API_TOKEN_SCOPES, PROJECT_TOKEN_PREFIX, hashToken, newToken } from "@/lib/tokens/tokens";

const log = logger.child({ capability: "project-tokens" });

/** The roles a project access token can have (GitLab's guest and reporter have no use here; owner is not handed out). */
export const PROJECT_TOKEN_ROLES = ["developer", "maintainer"] as const;
export type ProjectTokenRole = (typeof PROJECT_TOKEN_ROLES)[number];
export const projectTokenRoleSchema = z.enum(PROJECT_TOKEN_ROLES, {
  error: `Role must be one of: ${PROJECT_TOKEN_ROLES.join(", ")}`,
});

/** The longest a project access token lives, in days (one year). */
export const PROJECT_TOKEN_MAX_DAYS = 365;

export const createProjectTokenSchema = z.object({
  name: z.string().trim().min(1, "Enter a token name").max(100, "Token name is too long (at most 100 characters)"),
  role: projectTokenRoleSchema,
  scopes: z
    .array(z.enum(API_TOKEN_SCOPES, { error: `Scopes must be among: ${API_TOKEN_SCOPES.join(", ")}` }), {
      error: "Choose at least one scope",
    })
    .min(1, "Choose at least one scope")
    .transform((scopes) => [...new Set(scopes)]),
  expiresInDays: z
    .number({ error: "Choose when the token expires (1 to 365 days)" })
    .int("Enter a whole number of days")
    .min(1, "A token must live at least one day")
    .max(PROJECT_TOKEN_MAX_DAYS, "A project access token can live at most 365 days"),
});

/** Make, list and revoke a project's access tokens: its maintainers and owners (and administrators). */
export const manageProjectTokens = (a: Actor, p: ProjectFacts) => can.manageProjectAgents(a, p);
const NEED_MAINTAINER = "You need at least the maintainer role in this project to manage its access tokens";

export interface ProjectTokenRow {
  id: string;
  name: string;
  role: string;
  scopes: string[];
  /** The bot user the token acts as (audit rows name it). */
  bot: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  status: "active" | "expired" | "revoked";
}

export interface ProjectTokensView {
  /** Server time, so the browser says "expires in 3 days" against the right clock. */
  now: string;
  roles: readonly ProjectTokenRole[];
  scopes: readonly string[];
  maxDays: number;
  tokens: ProjectTokenRow[];
}

export interface CreatedProjectToken {
  id: string;
  /** Shown this once; only its hash is kept. */
  token: string;
  name: string;
  role: ProjectTokenRole;
  scopes: string[];
  bot: string;
  expiresAt: string;
}

/** The bot's username: GitLab's project_<id>_bot_<random> shape, unique, and never a sign-up's. */
function botUsername(projectId: string): string {
  return `project_${projectId}_bot_${randomBytes(4).toString("hex")}`;
}

export async function createProjectToken(
  db: Db,
  actor: Actor,
  projectId: string,
  input: unknown,
  now = new Date(),
): Promise<CreatedProjectToken> {
  const { project } = await findProjectFor(db, actor, { id: projectId }, manageProjectTokens, NEED_MAINTAINER);
  // A bot mints nothing (the route is browser-only as well): a leaked token must not make more of itself.
  if (actor.projectBot) throw new Forbidden("project", "A project access token cannot create access tokens");
  const parsed = createProjectTokenSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { name, role, scopes, expiresInDays } = parsed.data;
  const token = newToken(PROJECT_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + expiresInDays * 86_400_000);
  const username = botUsername(project.id);
  const row = await db.$transaction(async (tx) => {
    const bot = await tx.user.create({
      data: {
        username,
        // .invalid never resolves (RFC 2606): no mail reaches it and no identity provider vouches for it.
        email: `${username}@noreply.tether.invalid`,
        name,
        passwordHash: null,
        botProjectId: project.id,
      },
    });
    const r = await tx.projectAccessToken.create({
      data: {
        projectId: project.id,
        botUserId: bot.id,
        name,
        role,
        scopes: scopes.join(" "),
        tokenHash: hashToken(token),
        createdById: actor.id,
        expiresAt,
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "project_token.created",
      targetType: "project",
      targetId: project.id,
      details: {
        tokenId: r.id,
        name,
        role,
        scopes: scopes.join(" "),
        bot: username,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return r;
  });
  log.info(
    { event: "project_token_created", projectId: project.id, tokenId: row.id, role },
    "project access token created",
  );
  return { id: row.id, token, name, role, scopes, bot: username, expiresAt: expiresAt.toISOString() };
}

export async function revokeProjectToken(db: Db, actor: Actor, projectId: string, tokenId: string): Promise<void> {
  const { project } = await findProjectFor(db, actor, { id: projectId }, manageProjectTokens, NEED_MAINTAINER);
  const row = await db.projectAccessToken.findUnique({ where: { id: tokenId } });
  if (!row || row.projectId !== project.id) throw new NotFound("Project access token");
  if (row.revokedAt) return;
  await db.$transaction(async (tx) => {
    await tx.projectAccessToken.update({
      where: { id: row.id },
      data: { revokedAt: new Date(), revokedById: actor.id },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "project_token.revoked",
      targetType: "project",
      targetId: project.id,
      details: { tokenId: row.id, name: row.name, role: row.role },
    });
  });
  log.info({ event: "project_token_revoked", projectId: project.id, tokenId: row.id }, "project access token revoked");
}

export async function projectTokensView(
  db: Db,
  actor: Actor,
  projectId: string,
  now = Date.now(),
): Promise<ProjectTokensView> {
  const { project } = await findProjectFor(db, actor, { id: projectId }, manageProjectTokens, NEED_MAINTAINER);
  const rows = await db.projectAccessToken.findMany({
    where: { projectId: project.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: {
      botUser: { select: { username: true } },
      createdBy: { select: { username: true } },
      revokedBy: { select: { username: true } },
    },
  });
  return {
    now: new Date(now).toISOString(),
    roles: PROJECT_TOKEN_ROLES,
    scopes: API_TOKEN_SCOPES,
    maxDays: PROJECT_TOKEN_MAX_DAYS,
    tokens: rows.map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      scopes: t.scopes.split(" ").filter(Boolean),
      bot: t.botUser.username,
      createdBy: t.createdBy?.username ?? null,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      revokedBy: t.revokedBy?.username ?? null,
      status: t.revokedAt ? "revoked" : t.expiresAt.getTime() <= now ? "expired" : "active",
    })),
  };
}

/** A stored role as the bot's role; null for anything else (a row no code of this version wrote). */
export function botRoleOf(raw: string): ProjectTokenRole | null {
  const role = projectTokenRoleSchema.safeParse(raw);
  return role.success ? role.data : null;
}
