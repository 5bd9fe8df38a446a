// Telling kas to close an agent's tunnels on every replica: after a token revocation (each replica
// re-checks that agent's tokens at once) and when an agent is deleted (each replica closes them all).
// Best effort: when kas cannot be reached the revocation still holds, and kas's periodic token
// re-check closes the tunnels later.
import { logger } from "@/lib/log/logger";
import { tunnelClient } from "@/lib/tunnel-client/web";

const log = logger.child({ capability: "kas-tunnels" });

/** `reason` "token_revoked": close the tunnels whose token is no longer valid; "deleted": close all. Never throws. */
export async function closeAgentTunnelsEverywhere(
  agentId: string,
  reason: "token_revoked" | "deleted",
): Promise<boolean> {
  try {
    await tunnelClient().closeAgentTunnels(agentId, reason === "deleted");
    return true;
  } catch (e) {
    log.warn(
      { agentId, reason, err: (e as Error).message },
      "could not tell kas to close the agent's tunnels; its token re-check will",
    );
    return false;
  }
}

/**
 * Tells kas that the agent's configuration was saved, so that the agent's configuration long poll
 * answers now instead of when its wait runs out (≤ 5 minutes by default). Never throws: the agent
 * still gets the new version at the end of its wait.
 */
export async function notifyAgentConfigChanged(agentId: string): Promise<boolean> {
  try {
    await tunnelClient().notifyAgentConfig(agentId);
    return true;
  } catch (e) {
    log.warn(
      { agentId, err: (e as Error).message },
      "could not tell kas that the agent's configuration changed; the agent gets it at the end of its poll",
    );
    return false;
  }
}
