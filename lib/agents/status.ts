// An agent's connection status as the UI shows it, decided from what kas says now and, when kas cannot
// be asked, from the last contact recorded in the database. Pure, so every case is unit tested.

export type ConnectionStatus = "connected" | "not_connected" | "never_connected";

/** How often agents heartbeat (kas's TETHER_KAS_HEARTBEAT_MS default). */
export const HEARTBEAT_MS = 30_000;

/** What kas said about the agent; null when kas could not be asked (down, slow, misconfigured). */
export interface KasView {
  connected: boolean;
  /** Unix ms of the last time this kas saw the agent (now while it is connected); 0 when never. */
  lastSeenMs: number;
  /** The agent's connections (pods or processes with a tunnel) on every kas replica; absent: not told. */
  connections?: number;
  /** The kas replicas holding the agent's tunnels now (kas's tunnel registry); absent when not told. */
  replicas?: string[];
}

/** Asks kas about agents (lib/kas-bridge's kasStatuses; tests pass their own). */
export type KasStatusSource = (agentIds: string[]) => Promise<Map<string, KasView | null>>;

export interface ContactFacts {
  firstContactAt: Date | null;
  lastContactAt: Date | null;
}

export function connectionStatus(
  agent: ContactFacts,
  kas: KasView | null,
  now: number = Date.now(),
  heartbeatMs = HEARTBEAT_MS,
): ConnectionStatus {
  if (kas?.connected) return "connected";
  if (!agent.firstContactAt) return "never_connected";
  if (kas) return "not_connected";
  // kas is unreachable: trust a heartbeat recent enough that the agent should still be there.
  return recentlyInContact(agent, now, heartbeatMs) ? "connected" : "not_connected";
}

/**
 * Whether the database alone says the agent was in touch within two heartbeats (no question to kas): enough
 * for a page to start work that is only useful while it is connected, and to leave it for later otherwise.
 */
export function recentlyInContact(agent: ContactFacts, now: number = Date.now(), heartbeatMs = HEARTBEAT_MS): boolean {
  const last = agent.lastContactAt?.getTime();
  return agent.firstContactAt !== null && last !== undefined && now - last <= 2 * heartbeatMs;
}

/** The most recent contact known: the database's heartbeat time or kas's own last sighting. */
export function lastContact(agent: ContactFacts, kas: KasView | null): Date | null {
  const db = agent.lastContactAt?.getTime() ?? 0;
  const seen = kas?.lastSeenMs ?? 0;
  const t = Math.max(db, seen);
  return t > 0 ? new Date(t) : null;
}
