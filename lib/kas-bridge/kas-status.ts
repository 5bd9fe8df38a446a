// Asks kas whether agents are connected. Any failure (kas down, slow, secret missing) counts as "kas
// could not be asked" (null), and the status falls back to the last heartbeat in the database.
import { logger } from "@/lib/log/logger";
import { tunnelClient } from "@/lib/tunnel-client/web";
import type { KasStatusSource, KasView } from "@/lib/agents";

const ASK_TIMEOUT_MS = 2_000;
let lastWarning = 0;

async function askOne(agentId: string): Promise<KasView | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kas did not answer within ${ASK_TIMEOUT_MS} ms`)), ASK_TIMEOUT_MS);
    });
    const s = await Promise.race([tunnelClient().agentStatus(agentId), timeout]);
    return { connected: s.connected, lastSeenMs: Number(s.lastSeenMs), replicas: [...s.kasReplicas] };
  } catch (e) {
    if (Date.now() - lastWarning > 60_000) {
      lastWarning = Date.now();
      logger.warn({ err: (e as Error).message }, "cannot ask kas for agent status; using the last heartbeat instead");
    }
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export const kasStatuses: KasStatusSource = async (agentIds) => {
  const answers = await Promise.all(agentIds.map(async (id) => [id, await askOne(id)] as const));
  return new Map(answers);
};
