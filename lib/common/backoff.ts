// Retry delays: exponential from a base to a cap, with full jitter so that many clients that lost the
// same server at once do not come back at once. The defaults (1 s to 60 s) are the agent's reconnect to
// kas; a caller whose retries are cheaper and whose user is waiting passes its own base and cap.
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;

export interface BackoffLimits {
  baseMs?: number;
  capMs?: number;
}

export function backoffDelay(
  failures: number,
  random: () => number = Math.random,
  { baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS }: BackoffLimits = {},
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
