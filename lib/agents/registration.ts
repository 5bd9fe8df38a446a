// Agents: registration to a project (maintainers and owners), and what an agent reports about itself
// through kas (versions, node count, last contact).
import { z } from "zod";
import { can, findProjectFor, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { AgentInfo } from "@/lib/common/kas-web-contract";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, NotFound, invalidFrom } from "@/lib/errors";

/** A Kubernetes DNS label (RFC 1123): what GitLab and kubectl users expect an agent name to be. */
export const agentName = z
  .string()
  .trim()
  .min(1, "Enter an agent name")
  .max(63, "Agent name is too long (at most 63 characters, like a Kubernetes DNS label)")
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "Use lower-case letters, digits and '-' only, starting and ending with a letter or digit (a Kubernetes DNS label)",
  );

export const registerAgentSchema = z.object({ name: agentName });

export async function registerAgent(db: Db, actor: Actor, projectId: string, input: unknown) {
  const parsed = registerAgentSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  await findProjectFor(
    db,
    actor,
    { id: projectId },
    can.manageProjectAgents,
    "You need the maintainer or owner role in this project to manage its agents",
  );
  try {
    return await db.$transaction(async (tx) => {
      const agent = await tx.agent.create({ data: { name: parsed.data.name, projectId, createdById: actor.id } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "agent.registered",
        targetType: "agent",
        targetId: agent.id,
        details: { name: agent.name, projectId },
      });
      return agent;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new Conflict(`This project already has an agent named "${parsed.data.name}"`, "name");
    throw e;
  }
}

/** Records what an agent reported (register or heartbeat) through a kas replica. */
export async function recordAgentContact(
  db: Db,
  agentId: string,
  info: AgentInfo,
  at = new Date(),
  /** The token the agent used and the address kas saw it at: the token's "last used from". */
  via: { tokenId?: string; peerAddress?: string } = {},
): Promise<void> {
  const agent = await db.agent.findUnique({ where: { id: agentId }, select: { firstContactAt: true } });
  if (!agent) throw new NotFound("Agent");
  await db.agent.update({
    where: { id: agentId },
    data: { ...info, lastContactAt: at, firstContactAt: agent.firstContactAt ?? at },
  });
  if (via.tokenId) {
    const pod = info.podName ? (info.podNamespace ? `${info.podNamespace}/${info.podName}` : info.podName) : null;
    // Only a token of this agent: a mismatched id changes nothing.
    await db.agentToken.updateMany({
      where: { id: via.tokenId, agentId },
      data: { lastUsedAt: at, lastUsedPod: pod, lastUsedAddress: peerAddress(via.peerAddress) },
    });
  }
}

/** gRPC's peer ("ipv4:10.0.3.7:41234", "ipv6:[::1]:5000", "unix:…") as an address a person reads; null when unknown or local. */
export function peerAddress(peer: string | undefined): string | null {
  if (!peer) return null;
  const p = peer.replace(/^ipv[46]:/, "");
  // A receptive agent reaches kas through a private Unix socket: no address of the agent to show.
  return p.startsWith("unix:") ? null : p;
}
