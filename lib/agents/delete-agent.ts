// Deleting an agent (maintainers and owners, the agent's name typed to confirm). Its tokens go with it,
// so kas's next token re-check (TETHER_KAS_TOKEN_RECHECK_MS) finds them unknown and closes the agent's
// tunnels; its configuration versions go too, which removes it from every project and group it was
// shared with. The audit log keeps the agent's events (they are not tied to the row).
import { findManageableAgent, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { requireConfirmation } from "@/lib/groups/groups-and-members";

export async function deleteAgent(db: Db, actor: Actor, agentId: string, input: unknown) {
  const { agent } = await findManageableAgent(
    db,
    actor,
    agentId,
    "You need the maintainer or owner role in this project to delete its agents",
  );
  requireConfirmation(input, agent.name, `agent ${agent.name}`);
  return db.$transaction(async (tx) => {
    const activeTokens = await tx.agentToken.count({ where: { agentId, revokedAt: null } });
    await tx.agent.delete({ where: { id: agentId } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "agent.deleted",
      targetType: "agent",
      targetId: agentId,
      details: { name: agent.name, projectId: agent.projectId, project: agent.project.fullPath, activeTokens },
    });
    return { name: agent.name, activeTokens };
  });
}
