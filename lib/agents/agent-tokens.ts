// Agent tokens: at most two active at once (for rotation without downtime), shown in clear text once,
// stored as a hash, revocable, with their last use recorded when kas asks whose token it is.
import { z } from "zod";
import { can, findManageableAgent, findVisibleAgent, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Conflict, NotFound, invalidFrom } from "@/lib/errors";
import { AGENT_TOKEN_PREFIX, hashToken, newToken } from "@/lib/tokens/tokens";

export const MAX_ACTIVE_TOKENS = 2;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Enter a token name").max(100, "Token name is too long (at most 100 characters)"),
  description: z.string().trim().max(500, "Description is too long (at most 500 characters)").default(""),
});

export interface TokenRow {
  id: string;
  name: string;
  description: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** Where it was last used from (the agent's register or heartbeat): its pod and the address kas saw. */
  lastUsedFrom: { pod: string | null; address: string | null } | null;
  revokedAt: string | null;
  /** Who revoked it: their username, or null (not revoked, or the user was deleted). */
  revokedBy: string | null;
  status: "active" | "revoked";
}

/** Creates a token and returns it in clear text: the only time it is ever available. */
export async function createAgentToken(
  db: Db,
  actor: Actor,
  agentId: string,
  input: unknown,
): Promise<{ id: string; token: string }> {
  const parsed = createTokenSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { agent } = await findManageableAgent(
    db,
    actor,
    agentId,
    "You need the maintainer or owner role in this project to create agent tokens",
  );
  const token = newToken(AGENT_TOKEN_PREFIX);
  const created = await db.$transaction(async (tx) => {
    const active = await tx.agentToken.count({ where: { agentId, revokedAt: null } });
    if (active >= MAX_ACTIVE_TOKENS) {
      throw new Conflict(
        `Agent "${agent.name}" already has ${MAX_ACTIVE_TOKENS} active tokens. Revoke one before creating another (two allow rotation without downtime).`,
      );
    }
    const row = await tx.agentToken.create({
      data: {
        agentId,
        name: parsed.data.name,
        description: parsed.data.description,
        tokenHash: hashToken(token),
        createdById: actor.id,
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "agent_token.created",
      targetType: "agent",
      targetId: agentId,
      details: { tokenId: row.id, name: row.name },
    });
    return row;
  });
  return { id: created.id, token };
}

export async function revokeAgentToken(db: Db, actor: Actor, agentId: string, tokenId: string): Promise<void> {
  await findManageableAgent(
    db,
    actor,
    agentId,
    "You need the maintainer or owner role in this project to revoke agent tokens",
  );
  await db.$transaction(async (tx) => {
    const row = await tx.agentToken.findFirst({ where: { id: tokenId, agentId } });
    if (!row) throw new NotFound("Token");
    if (row.revokedAt) return;
    await tx.agentToken.update({ where: { id: tokenId }, data: { revokedAt: new Date(), revokedById: actor.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "agent_token.revoked",
      targetType: "agent",
      targetId: agentId,
      details: { tokenId, name: row.name },
    });
  });
}

/** kas's question "whose token is this?": the agent for an active token, and the token's last use recorded. */
export async function agentForToken(db: Db, token: string) {
  const row = await db.agentToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { agent: { include: { project: true } } },
  });
  if (!row || row.revokedAt) return null;
  await db.agentToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return {
    agentId: row.agent.id,
    agentName: row.agent.name,
    projectId: row.agent.projectId,
    projectPath: row.agent.project.fullPath,
    tokenId: row.id,
  };
}

/** The agent's tokens, newest first: never the hash, only what identifies a token to a person. */
export async function listAgentTokens(
  db: Db,
  actor: Actor,
  agentId: string,
): Promise<{ canManage: boolean; maxActiveTokens: number; tokens: TokenRow[] }> {
  const { facts } = await findVisibleAgent(db, actor, agentId);
  const rows = await db.agentToken.findMany({
    where: { agentId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      name: true,
      description: true,
      createdAt: true,
      lastUsedAt: true,
      lastUsedPod: true,
      lastUsedAddress: true,
      revokedAt: true,
      createdBy: { select: { username: true } },
      revokedBy: { select: { username: true } },
    },
  });
  return {
    canManage: can.manageProjectAgents(actor, facts),
    maxActiveTokens: MAX_ACTIVE_TOKENS,
    tokens: rows.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      createdBy: t.createdBy?.username ?? null,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      lastUsedFrom: t.lastUsedPod || t.lastUsedAddress ? { pod: t.lastUsedPod, address: t.lastUsedAddress } : null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      revokedBy: t.revokedBy?.username ?? null,
      status: t.revokedAt ? "revoked" : "active",
    })),
  };
}
