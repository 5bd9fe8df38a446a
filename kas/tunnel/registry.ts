// Which tunnel streams each agent has open on this kas, and handing an idle one to each request.
// Behind the TunnelRegistry interface: MemoryTunnelRegistry serves one kas; kas/routing's
// RedisTunnelRegistry wraps it and routes between several kas replicas without changing callers.
import type { AgentStream, TunnelStream } from "./stream";
import type { KasMetrics } from "../metrics";

// The registry's refusals. The internal API turns each into a gRPC status and a tunnel-wire code (web's tunnel
// client raises its own AgentNotConnectedError and StreamLimitError from those); the k8s-proxy into an HTTP status.

/** No stream of the agent on this kas within the wait. */
export class NoAgentTunnelError extends Error {
  constructor(
    readonly agentId: string,
    readonly lastSeenMs: number | null,
  ) {
    super(
      lastSeenMs
        ? `agent ${agentId} is not connected (last seen ${new Date(lastSeenMs).toISOString()})`
        : `agent ${agentId} is not connected (never seen by this kas)`,
    );
  }
}

/** The agent has its whole per-agent stream allowance in use. */
export class AgentStreamLimitError extends Error {
  constructor(
    readonly agentName: string,
    readonly limit: number,
    message?: string,
  ) {
    super(
      message ??
        `agent "${agentName}" has all ${limit} tunnel streams in use (the per-agent limit); retry when a request or watch ends`,
    );
  }
}

/** Connected, below the limit, but no stream came free within the wait. */
export class AgentBusyError extends Error {
  constructor(
    readonly agentName: string,
    busy: number,
    waitMs: number,
    message?: string,
  ) {
    super(
      message ?? `agent "${agentName}" is connected but had no free tunnel stream within ${waitMs} ms (${busy} busy)`,
    );
  }
}

export interface AgentStatus {
  connected: boolean;
  connections: number;
  idle: number;
  active: number;
  lastSeenMs: number | null;
}

/** The agent's tunnels on every kas replica the registry knows of. */
export interface AgentStatusEverywhere extends AgentStatus {
  /** The kas replicas (TETHER_KAS_ID) holding the agent's tunnels. */
  replicas: string[];
}

/**
 * Published to every kas replica: a token of the agent was revoked, or the agent was deleted; or a
 * message for a capability's streams to the agent (`notice`: its topic and a JSON payload), such as a
 * git push for the agent's push stream, wherever that stream lives.
 */
export type AgentEvent =
  | { agentId: string; kind: "token_revoked" | "deleted" }
  | { agentId: string; kind: "notice"; topic: string; payload: string };

export interface TunnelRegistry {
  /** Adds an agent's new stream; throws AgentStreamLimitError when the agent is at its limit. */
  add(stream: TunnelStream): void;
  /** An idle stream of the agent on this kas now, or null (the caller then waits with acquire). */
  tryAcquire(agentId: string): TunnelStream | null;
  /** An idle stream of the agent (here or, with routing, on another replica), waiting up to `waitMs`; never waits when at the limit. */
  acquire(agentId: string, waitMs: number, signal?: AbortSignal): Promise<AgentStream>;
  /** Gives back a stream that was acquired but never used. */
  release(stream: AgentStream): void;
  /** The agent's tunnels on this kas. */
  status(agentId: string): AgentStatus;
  /** The agent's tunnels on every replica (this kas alone without routing). */
  statusEverywhere(agentId: string): Promise<AgentStatusEverywhere>;
  /** Closes every stream of an agent on this kas (revoked token). */
  closeAgent(agentId: string, code: number, details: string): void;
  /** Tells every kas replica (this one included) about `event`. */
  publishAgentEvent(event: AgentEvent): Promise<void>;
  onAgentEvent(fn: (event: AgentEvent) => void): void;
  touch(agentId: string): void;
  agents(): string[];
}

interface AgentEntry {
  name: string;
  idle: TunnelStream[];
  active: Set<TunnelStream>;
  waiters: ((s: TunnelStream | null) => void)[];
}

export class MemoryTunnelRegistry implements TunnelRegistry {
  private readonly byAgent = new Map<string, AgentEntry>();
  private readonly lastSeen = new Map<string, number>();
  private readonly eventListeners: ((event: AgentEvent) => void)[] = [];

  constructor(
    private readonly maxStreamsPerAgent: number,
    private readonly metrics?: KasMetrics,
    private readonly kasId = "kas",
  ) {}

  private entry(agentId: string, name: string): AgentEntry {
    let e = this.byAgent.get(agentId);
    if (!e) {
      e = { name, idle: [], active: new Set(), waiters: [] };
      this.byAgent.set(agentId, e);
    }
    return e;
  }

  add(stream: TunnelStream): void {
    const e = this.entry(stream.agentId, stream.agentName);
    e.name = stream.agentName;
    if (e.idle.length + e.active.size >= this.maxStreamsPerAgent)
      throw new AgentStreamLimitError(stream.agentName, this.maxStreamsPerAgent);
    this.touch(stream.agentId);
    this.metrics?.streamsOpened.inc();
    stream.onClose(() => this.remove(stream));
    // A reused stream queues behind the other idle ones, so requests keep spreading over all the
    // agent's connections (several pods with one token).
    stream.onReuse(() => {
      if (e.active.delete(stream)) this.offer(e, stream, "back");
    });
    this.offer(e, stream, "back");
  }

  /** An idle stream goes to the first waiting request, else into the idle pool. */
  private offer(e: AgentEntry, stream: TunnelStream, end: "front" | "back"): void {
    const waiter = e.waiters.shift();
    if (waiter) {
      this.activate(e, stream);
      waiter(stream);
    } else if (end === "back") {
      e.idle.push(stream);
    } else {
      e.idle.unshift(stream);
    }
    this.updateGauges();
  }

  private activate(e: AgentEntry, s: TunnelStream): void {
    e.active.add(s);
  }

  private remove(stream: TunnelStream): void {
    const e = this.byAgent.get(stream.agentId);
    if (!e) return;
    this.touch(stream.agentId);
    e.idle = e.idle.filter((s) => s !== stream);
    e.active.delete(stream);
    if (e.idle.length === 0 && e.active.size === 0 && e.waiters.length === 0) this.byAgent.delete(stream.agentId);
    this.updateGauges();
  }

  tryAcquire(agentId: string): TunnelStream | null {
    const e = this.byAgent.get(agentId);
    const s = e?.idle.shift();
    if (!e || !s) return null;
    this.activate(e, s);
    this.updateGauges();
    return s;
  }

  async acquire(agentId: string, waitMs: number, signal?: AbortSignal): Promise<TunnelStream> {
    const ready = this.tryAcquire(agentId);
    if (ready) return ready;
    const e = this.byAgent.get(agentId);
    if (e && e.active.size >= this.maxStreamsPerAgent) throw new AgentStreamLimitError(e.name, this.maxStreamsPerAgent);
    // Not connected yet, or every stream busy but below the limit (the agent is opening more): wait.
    const entry = e ?? this.entry(agentId, agentId);
    return new Promise<TunnelStream>((resolve, reject) => {
      const waiter = (s: TunnelStream | null) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (s) resolve(s);
        else reject(new NoAgentTunnelError(agentId, this.lastSeen.get(agentId) ?? null));
      };
      const drop = () => {
        entry.waiters = entry.waiters.filter((w) => w !== waiter);
        if (entry.idle.length === 0 && entry.active.size === 0 && entry.waiters.length === 0)
          this.byAgent.delete(agentId);
      };
      const timer = setTimeout(() => {
        drop();
        const now = this.byAgent.get(agentId);
        if (now && now.active.size >= this.maxStreamsPerAgent)
          reject(new AgentStreamLimitError(now.name, this.maxStreamsPerAgent));
        else if (now && now.active.size > 0) reject(new AgentBusyError(now.name, now.active.size, waitMs));
        else reject(new NoAgentTunnelError(agentId, this.lastSeen.get(agentId) ?? null));
      }, waitMs);
      const onAbort = () => {
        clearTimeout(timer);
        drop();
        reject(new Error("request cancelled while waiting for the agent"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      entry.waiters.push(waiter);
    });
  }

  release(stream: AgentStream): void {
    // Only this registry's own streams were handed out by it.
    const local = stream as TunnelStream;
    const e = this.byAgent.get(local.agentId);
    if (!e || !e.active.delete(local) || local.state !== "idle") return;
    this.offer(e, local, "front");
  }

  status(agentId: string): AgentStatus {
    const e = this.byAgent.get(agentId);
    const all = e ? [...e.idle, ...e.active] : [];
    return {
      connected: all.length > 0,
      connections: new Set(all.map((s) => s.connectionId)).size,
      idle: e?.idle.length ?? 0,
      active: e?.active.size ?? 0,
      lastSeenMs: all.length > 0 ? Date.now() : (this.lastSeen.get(agentId) ?? null),
    };
  }

  statusEverywhere(agentId: string): Promise<AgentStatusEverywhere> {
    const s = this.status(agentId);
    return Promise.resolve({ ...s, replicas: s.connected ? [this.kasId] : [] });
  }

  publishAgentEvent(event: AgentEvent): Promise<void> {
    this.deliverAgentEvent(event);
    return Promise.resolve();
  }

  onAgentEvent(fn: (event: AgentEvent) => void): void {
    this.eventListeners.push(fn);
  }

  /** Runs the onAgentEvent listeners (the routing registry calls it for events from Redis). */
  deliverAgentEvent(event: AgentEvent): void {
    for (const fn of this.eventListeners) fn(event);
  }

  closeAgent(agentId: string, code: number, details: string): void {
    const e = this.byAgent.get(agentId);
    if (!e) return;
    for (const s of [...e.idle, ...e.active]) s.terminate(code, details);
  }

  touch(agentId: string): void {
    this.lastSeen.set(agentId, Date.now());
  }

  agents(): string[] {
    return [...this.byAgent.entries()].filter(([, e]) => e.idle.length + e.active.size > 0).map(([id]) => id);
  }

  private updateGauges(): void {
    if (!this.metrics) return;
    let idle = 0;
    let active = 0;
    let agents = 0;
    for (const e of this.byAgent.values()) {
      idle += e.idle.length;
      active += e.active.size;
      if (e.idle.length + e.active.size > 0) agents++;
    }
    this.metrics.idleStreams.set(idle);
    this.metrics.activeStreams.set(active);
    this.metrics.connectedAgents.set(agents);
  }
}
