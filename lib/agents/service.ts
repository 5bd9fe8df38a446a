// Agents: registration to a project, their tokens (at most two active, for rotation), and what kas
// reports about them. Every function takes the acting user and checks the access rules first.
import { z } from "zod";
import { can, findManageableAgent, findProjectFor, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, NotFound, invalidFrom } from "@/lib/errors";
import { AGENT_TOKEN_PREFIX, hashToken, newToken } from "@/lib/tokens/tokens";

export const MAX_ACTIVE_TOKENS = 2;

/** A Kubernetes DNS label (RFC 1123): what GitLab and kubectl users expect an agent name to be. */
export const agentName = z
  .string()
  .trim()
  .min(1, "Enter an agent name")
  .max(63, "Agent name is too long (at most 63 characters, like a Kubernetes DNS label)")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Use lower-case letters, digits and '-' only, starting and ending with a letter or digit (a Kubernetes DNS label)");

export const registerAgentSchema = z.object({ name: agentName });

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Enter a token name").max(100, "Token name is too long (at most 100 characters)"),
  description: z.string().trim().max(500, "Description is too long (at most 500 characters)").default(""),
});

export async function registerAgent(db: Db, actor: Actor, projectId: string, input: unknown) {
  const parsed = registerAgentSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  await findProjectFor(db, actor, { id: projectId }, can.manageProjectAgents, "You need the maintainer or owner role in this project to manage its agents");
  try {
    return await db.$transaction(async (tx) => {
      const agent = await tx.agent.create({ data: { name: parsed.data.name, projectId, createdById: actor.id } });
      await recordAudit(tx, { actorId: actor.id, action: "agent.registered", targetType: "agent", targetId: agent.id, details: { name: agent.name, projectId } });
      return agent;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict(`This project already has an agent named "${parsed.data.name}"`, "name");
    throw e;
  }
}

/** Creates a token and returns it in clear text: the only time it is ever available. */
export async function createAgentToken(db: Db, actor: Actor, agentId: string, input: unknown): Promise<{ id: string; token: string }> {
  const parsed = createTokenSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { agent } = await findManageableAgent(db, actor, agentId, "You need the maintainer or owner role in this project to create agent tokens");
  const token = newToken(AGENT_TOKEN_PREFIX);
  const created = await db.$transaction(async (tx) => {
    const active = await tx.agentToken.count({ where: { agentId, revokedAt: null } });
    if (active >= MAX_ACTIVE_TOKENS) {
      throw new Conflict(`Agent "${agent.name}" already has ${MAX_ACTIVE_TOKENS} active tokens. Revoke one before creating another (two allow rotation without downtime).`);
    }
    const row = await tx.agentToken.create({ data: { agentId, name: parsed.data.name, description: parsed.data.description, tokenHash: hashToken(token), createdById: actor.id } });
    await recordAudit(tx, { actorId: actor.id, action: "agent_token.created", targetType: "agent", targetId: agentId, details: { tokenId: row.id, name: row.name } });
    return row;
  });
  return { id: created.id, token };
}

export async function revokeAgentToken(db: Db, actor: Actor, agentId: string, tokenId: string): Promise<void> {
  await findManageableAgent(db, actor, agentId, "You need the maintainer or owner role in this project to revoke agent tokens");
  await db.$transaction(async (tx) => {
    const row = await tx.agentToken.findFirst({ where: { id: tokenId, agentId } });
    if (!row) throw new NotFound("Token");
    if (row.revokedAt) return;
    await tx.agentToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { actorId: actor.id, action: "agent_token.revoked", targetType: "agent", targetId: agentId, details: { tokenId, name: row.name } });
  });
}

/** kas's question "whose token is this?": the agent for an active token, and the token's last use recorded. */
export async function agentForToken(db: Db, token: string) {
  const row = await db.agentToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { agent: { include: { project: true } } } });
  if (!row || row.revokedAt) return null;
  await db.agentToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { agentId: row.agent.id, agentName: row.agent.name, projectId: row.agent.projectId, projectPath: row.agent.project.fullPath, tokenId: row.id };
}

export const agentInfoSchema = z.object({
  agentVersion: z.string().max(100),
  kubernetesVersion: z.string().max(100),
  nodeCount: z.number().int().min(0).max(1_000_000),
  podName: z.string().max(253),
  podNamespace: z.string().max(63),
  kasId: z.string().max(200),
});
export type AgentInfo = z.infer<typeof agentInfoSchema>;

/** Records what an agent reported (register or heartbeat) through a kas replica. */
export async function recordAgentContact(db: Db, agentId: string, info: AgentInfo, at = new Date()): Promise<void> {
  const agent = await db.agent.findUnique({ where: { id: agentId }, select: { firstContactAt: true } });
  if (!agent) throw new NotFound("Agent");
  await db.agent.update({ where: { id: agentId }, data: { ...info, lastContactAt: at, firstContactAt: agent.firstContactAt ?? at } });
}
