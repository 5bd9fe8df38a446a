// The agent's configuration long poll: a GetConfiguration call that already has the current version
// waits here until web says the configuration was saved (NotifyAgentConfig, published to every kas
// replica as an agent notice) or its wait runs out. An idle fleet then costs one open call per agent
// pod, and a saved configuration reaches the agent at once instead of at its next poll.
import type { TunnelRegistry } from "../tunnel";

/** The notice topic web's NotifyAgentConfig publishes. */
export const AGENT_CONFIG_TOPIC = "agent_config";
/** The longest a configuration call is held, whatever the agent asks. */
export const MAX_CONFIG_WAIT_MS = 10 * 60_000;

export interface ConfigWait {
  /** Resolves with true when the configuration changed, false when the wait ran out or was cancelled. */
  changed: Promise<boolean>;
  cancel(): void;
}

export class ConfigWaiters {
  private readonly waiting = new Map<string, Set<(changed: boolean) => void>>();

  constructor(registry: Pick<TunnelRegistry, "onAgentEvent">) {
    registry.onAgentEvent((event) => {
      if (event.kind === "notice" && event.topic === AGENT_CONFIG_TOPIC) this.wake(event.agentId, true);
      // A deleted agent's calls end now rather than at their timeout.
      if (event.kind === "deleted") this.wake(event.agentId, false);
    });
  }

  /** Starts waiting (before the caller reads the version, so that a save in between is not missed). */
  wait(agentId: string, waitMs: number): ConfigWait {
    let settle: (changed: boolean) => void = () => undefined;
    const changed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), Math.min(waitMs, MAX_CONFIG_WAIT_MS));
      settle = (value: boolean) => {
        clearTimeout(timer);
        const set = this.waiting.get(agentId);
        set?.delete(settle);
        if (set?.size === 0) this.waiting.delete(agentId);
        resolve(value);
      };
      let set = this.waiting.get(agentId);
      if (!set) this.waiting.set(agentId, (set = new Set()));
      set.add(settle);
    });
    return { changed, cancel: () => settle(false) };
  }

  /** How many calls wait now (a gauge). */
  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }

  private wake(agentId: string, changed: boolean): void {
    for (const settle of [...(this.waiting.get(agentId) ?? [])]) settle(changed);
  }
}
