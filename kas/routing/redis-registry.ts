// The tunnel registry of several kas replicas. Streams live in this kas's MemoryTunnelRegistry; Redis
// records which replicas hold tunnels of each agent, and carries two pub/sub channels: "agent N
// connected on kas K" (a request waiting for N retries at once instead of polling) and agent events
// (revoked token, deleted agent) that every replica acts on.
//
// Redis layout (all keys under `tether:`):
//   tunnels:<agentId>    hash  kasId → {"a": private address, "c": connections, "e": expiry (Unix ms)}
//                        each replica rewrites its field every TTL/3; readers skip (and delete) expired fields,
//                        so a crashed replica's entries end within the TTL. The key expires too.
//   last-seen:<agentId>  Unix ms of the last tunnel anywhere (kept 30 days)
//   channels: tether:agent-connected {"agentId","kasId"}, tether:agent-events {"agentId","kind"[,"topic","payload"]}
import { EventEmitter } from "node:events";
import { status, type ServiceError } from "@grpc/grpc-js";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { KasMetrics } from "../metrics";
import {
  AgentBusyError,
  AgentStreamLimitError,
  MemoryTunnelRegistry,
  NoAgentTunnelError,
  type AgentEvent,
  type AgentStatus,
  type AgentStatusEverywhere,
  type AgentStream,
  type TunnelRegistry,
  type TunnelStream,
} from "../tunnel";
import { RegistryUnavailableError } from "./errors";
import { PeerClient, RemoteStream } from "./peer";

const CONNECTED_CHANNEL = "tether:agent-connected";
const EVENTS_CHANNEL = "tether:agent-events";
const LAST_SEEN_TTL_MS = 30 * 24 * 3600_000;
/** Guards against a missed "connected" message (Redis restarted mid-wait): a waiting request looks again this often. */
const RECHECK_MS = 2_000;

/** Agents per refresh script call. */
const REFRESH_SLICE = 500;
/**
 * A refresh of many agents' entries, as queueWrite writes one: KEYS are tunnels:<id>, last-seen:<id> per
 * agent; ARGV kasId, the key's expiry (ms), last-seen's expiry (ms), now (Unix ms), then each agent's
 * entry (JSON), or "" for an agent that left this kas (its field is removed).
 */
const REFRESH_SCRIPT = `
for i = 1, #KEYS / 2 do
  local tunnels, seen, entry = KEYS[2 * i - 1], KEYS[2 * i], ARGV[4 + i]
  if entry == "" then
    redis.call("HDEL", tunnels, ARGV[1])
  else
    redis.call("HSET", tunnels, ARGV[1], entry)
    redis.call("PEXPIRE", tunnels, ARGV[2])
  end
  redis.call("SET", seen, ARGV[4], "PX", ARGV[3])
end
return #KEYS / 2
`;

const tunnelsKey = (agentId: string) => `tether:tunnels:${agentId}`;
const lastSeenKey = (agentId: string) => `tether:last-seen:${agentId}`;

const entrySchema = z.object({ a: z.string().min(1), c: z.number().int().nonnegative(), e: z.number() });
const connectedSchema = z.object({ agentId: z.string().min(1), kasId: z.string().min(1) });
const eventSchema = z.union([
  z.object({ agentId: z.string().min(1), kind: z.enum(["token_revoked", "deleted"]), from: z.string() }),
  z.object({
    agentId: z.string().min(1),
    kind: z.literal("notice"),
    topic: z.string().min(1),
    payload: z.string(),
    from: z.string(),
  }),
]);

export interface RoutingOptions {
  kasId: string;
  redisUrl: string;
  ttlMs: number;
  peerSecret: string;
  maxStreamsPerAgent: number;
  maxMessageBytes: number;
  log: Logger;
  metrics: KasMetrics;
}

interface Replica {
  kasId: string;
  address: string;
  connections: number;
}

export class RedisTunnelRegistry implements TunnelRegistry {
  readonly local: MemoryTunnelRegistry;
  private readonly redis: Redis;
  private readonly sub: Redis;
  private privateAddress: string | null = null;
  /** Emits `agentId` when a stream of the agent arrives here or a replica announces it. */
  private readonly arrivals = new EventEmitter();
  /** Agents with an entry of this kas in Redis, and the connection count written. */
  private readonly written = new Map<string, number>();
  private readonly peers = new Map<string, PeerClient>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private redisDown = false;

  get peerSecret(): string {
    return this.o.peerSecret;
  }

  constructor(private readonly o: RoutingOptions) {
    this.local = new MemoryTunnelRegistry(o.maxStreamsPerAgent, o.metrics, o.kasId);
    this.arrivals.setMaxListeners(0);
    const common = {
      // Fail at once while Redis is away instead of queueing: same-kas requests never need it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 2_000,
      connectTimeout: 2_000,
      lazyConnect: true,
      retryStrategy: (times: number) => Math.min(times * 200, 1_000),
    };
    this.redis = new Redis(o.redisUrl, common);
    this.sub = new Redis(o.redisUrl, { ...common, enableOfflineQueue: true, commandTimeout: undefined });
    for (const [name, r] of [
      ["commands", this.redis],
      ["pub/sub", this.sub],
    ] as const) {
      r.on("error", (e: Error) => this.redisFailed(`${name}: ${e.message}`));
      r.on("ready", () => {
        if (this.redisDown) o.log.info({ connection: name }, "Redis is reachable again");
        this.redisDown = false;
        if (name === "commands") void this.refresh();
      });
    }
    this.sub.on("message", (channel: string, message: string) => this.onMessage(channel, message));
  }

  /** Connects to Redis (a kas whose Redis is down still starts and serves its own agents) and subscribes. */
  async start(): Promise<void> {
    await Promise.all([
      this.redis.connect().catch((e: Error) => this.redisFailed(e.message)),
      this.sub.connect().catch((e: Error) => this.redisFailed(e.message)),
    ]);
    await this.sub.subscribe(CONNECTED_CHANNEL, EVENTS_CHANNEL).catch((e: Error) => this.redisFailed(e.message));
    this.refreshTimer = setInterval(() => void this.refresh(), Math.max(250, Math.floor(this.o.ttlMs / 3)));
    this.refreshTimer.unref();
  }

  /** Once the internal server listens: where the other replicas reach this one. */
  setPrivateAddress(address: string): void {
    this.privateAddress = address;
    void this.refresh();
  }

  /** Clean shutdown: this kas's entries leave Redis at once (a crash leaves them to expire). */
  async stop(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    const agents = [...this.written.keys()];
    this.written.clear();
    if (agents.length > 0 && this.redis.status === "ready") {
      const p = this.redis.pipeline();
      for (const id of agents) {
        p.hdel(tunnelsKey(id), this.o.kasId);
        p.set(lastSeenKey(id), String(Date.now()), "PX", LAST_SEEN_TTL_MS);
      }
      await p.exec().catch((e: Error) => this.redisFailed(e.message));
    }
    for (const c of this.peers.values()) c.close();
    this.redis.disconnect();
    this.sub.disconnect();
  }

  private redisFailed(message: string): void {
    this.o.metrics.registryErrors.inc();
    if (!this.redisDown) this.o.log.warn({ err: message }, "tunnel registry: Redis unreachable");
    this.redisDown = true;
  }

  private onMessage(channel: string, message: string): void {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return;
    }
    if (channel === CONNECTED_CHANNEL) {
      const m = connectedSchema.safeParse(json);
      if (m.success && m.data.kasId !== this.o.kasId) this.arrivals.emit("arrival", m.data.agentId);
    } else if (channel === EVENTS_CHANNEL) {
      const m = eventSchema.safeParse(json);
      // The publishing replica has acted already.
      if (m.success && m.data.from !== this.o.kasId) {
        const d = m.data;
        this.local.deliverAgentEvent(
          d.kind === "notice"
            ? { agentId: d.agentId, kind: d.kind, topic: d.topic, payload: d.payload }
            : { agentId: d.agentId, kind: d.kind },
        );
      }
    }
  }

  /**
   * Writes this kas's entry for each connected agent (and removes those that left): one script call per
   * REFRESH_SLICE agents instead of three commands each, so a kas with a thousand agents spends little
   * on a refresh every TTL/3 (bench/kas-scale).
   */
  private async refresh(): Promise<void> {
    if (!this.privateAddress || this.redis.status !== "ready") return;
    const agents = [...new Set([...this.local.agents(), ...this.written.keys()])];
    const now = Date.now();
    for (let i = 0; i < agents.length; i += REFRESH_SLICE) {
      const keys: string[] = [];
      const entries: string[] = [];
      for (const id of agents.slice(i, i + REFRESH_SLICE)) {
        const s = this.local.status(id);
        keys.push(tunnelsKey(id), lastSeenKey(id));
        if (s.connected) {
          entries.push(JSON.stringify({ a: this.privateAddress, c: s.connections, e: now + this.o.ttlMs }));
          this.written.set(id, s.connections);
        } else {
          entries.push(""); // left: its field goes
          this.written.delete(id);
        }
      }
      try {
        await this.redis.eval(
          REFRESH_SCRIPT,
          keys.length,
          ...keys,
          this.o.kasId,
          String(this.o.ttlMs * 2),
          String(LAST_SEEN_TTL_MS),
          String(now),
          ...entries,
        );
      } catch (e) {
        this.redisFailed((e as Error).message);
        return;
      }
    }
  }

  private queueWrite(p: ReturnType<Redis["pipeline"]>, agentId: string): void {
    const s = this.local.status(agentId);
    if (s.connected) {
      const entry = { a: this.privateAddress, c: s.connections, e: Date.now() + this.o.ttlMs };
      p.hset(tunnelsKey(agentId), this.o.kasId, JSON.stringify(entry));
      p.pexpire(tunnelsKey(agentId), this.o.ttlMs * 2);
      this.written.set(agentId, s.connections);
    } else {
      p.hdel(tunnelsKey(agentId), this.o.kasId);
      this.written.delete(agentId);
    }
    p.set(lastSeenKey(agentId), String(Date.now()), "PX", LAST_SEEN_TTL_MS);
  }

  /** The agent's streams here changed: write its entry now when its connection count did. */
  private changed(agentId: string, announce: boolean): void {
    const s = this.local.status(agentId);
    const before = this.written.get(agentId);
    if (s.connected && before === s.connections && !announce) return;
    if (!s.connected && before === undefined) return;
    if (!this.privateAddress || this.redis.status !== "ready") return; // the next refresh writes it
    const p = this.redis.pipeline();
    this.queueWrite(p, agentId);
    if (announce) p.publish(CONNECTED_CHANNEL, JSON.stringify({ agentId, kasId: this.o.kasId }));
    p.exec().catch((e: Error) => this.redisFailed(e.message));
  }

  add(stream: TunnelStream): void {
    const first = !this.local.status(stream.agentId).connected;
    this.local.add(stream);
    stream.onClose(() => this.changed(stream.agentId, false));
    this.changed(stream.agentId, first);
    this.arrivals.emit("arrival", stream.agentId);
  }

  tryAcquire(agentId: string): TunnelStream | null {
    return this.local.tryAcquire(agentId);
  }

  /** The replicas (not this one) whose live entries say they hold the agent's tunnels. */
  private async replicas(agentId: string): Promise<Replica[]> {
    let all: Record<string, string>;
    try {
      all = await this.redis.hgetall(tunnelsKey(agentId));
    } catch (e) {
      this.redisFailed((e as Error).message);
      throw new RegistryUnavailableError(agentId, (e as Error).message);
    }
    const now = Date.now();
    const live: Replica[] = [];
    const expired: string[] = [];
    for (const [kasId, raw] of Object.entries(all)) {
      let entry: z.infer<typeof entrySchema> | null = null;
      try {
        const r = entrySchema.safeParse(JSON.parse(raw));
        if (r.success) entry = r.data;
      } catch {
        /* not an entry: dropped below */
      }
      if (!entry || entry.e < now) expired.push(kasId);
      else live.push({ kasId, address: entry.a, connections: entry.c });
    }
    if (expired.length > 0) this.redis.hdel(tunnelsKey(agentId), ...expired).catch(() => undefined);
    return live;
  }

  private async lastSeen(agentId: string): Promise<number | null> {
    const local = this.local.status(agentId).lastSeenMs;
    try {
      const v = await this.redis.get(lastSeenKey(agentId));
      const remote = v ? Number(v) : null;
      return Math.max(local ?? 0, remote ?? 0) || null;
    } catch {
      return local;
    }
  }

  private peer(r: Replica): PeerClient {
    let c = this.peers.get(r.kasId);
    if (c && c.address !== r.address) {
      c.close();
      c = undefined;
    }
    if (!c) {
      c = new PeerClient(r.kasId, r.address, this.o.peerSecret, this.o.maxMessageBytes);
      this.peers.set(r.kasId, c);
    }
    return c;
  }

  /**
   * Asks every replica in parallel to hold a stream; keeps the first that does and cancels the rest
   * (their streams go back to their idle pools). Resolves with the refusals when none could.
   */
  private reserveAny(
    agentId: string,
    candidates: Replica[],
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<RemoteStream | ServiceError[]> {
    return new Promise((resolve) => {
      let won = false;
      let pending = candidates.length;
      const refusals: ServiceError[] = [];
      for (const c of candidates) {
        this.peer(c)
          .reserve(agentId, waitMs, signal)
          .then(
            (s) => {
              if (won) return s.abandon();
              won = true;
              resolve(s);
            },
            (e: ServiceError) => {
              refusals.push(e);
              if (--pending === 0 && !won) resolve(refusals);
            },
          );
      }
    });
  }

  /** Resolves when the agent may have arrived (here or elsewhere), after `ms`, or when aborted. */
  private nextArrival(agentId: string, ms: number, signal?: AbortSignal): { promise: Promise<void>; cancel(): void } {
    let done: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => (done = resolve));
    const timer = setTimeout(() => finish(), ms);
    const onArrival = (id: string) => {
      if (id === agentId) finish();
    };
    const finish = () => {
      clearTimeout(timer);
      this.arrivals.off("arrival", onArrival);
      signal?.removeEventListener("abort", finish);
      done();
    };
    this.arrivals.on("arrival", onArrival);
    signal?.addEventListener("abort", finish, { once: true });
    return { promise, cancel: finish };
  }

  async acquire(agentId: string, waitMs: number, signal?: AbortSignal): Promise<AgentStream> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const here = this.local.tryAcquire(agentId);
      if (here) return here;
      const remaining = Math.max(1, deadline - Date.now());
      // Connected here but every stream busy: the agent opens more here; wait for one of them.
      if (this.local.status(agentId).connected) return this.local.acquire(agentId, remaining, signal);
      // Listen before looking, so an arrival between the look and the wait is not missed.
      const arrival = this.nextArrival(agentId, Math.min(remaining, RECHECK_MS), signal);
      try {
        const candidates = (await this.replicas(agentId)).filter((r) => r.kasId !== this.o.kasId);
        if (candidates.length > 0) {
          const r = await this.reserveAny(agentId, candidates, remaining, signal);
          if (r instanceof RemoteStream) {
            this.o.metrics.forwarded.inc({ side: "sent", outcome: "reserved" });
            return r;
          }
          const limit = r.find((e) => e.code === status.RESOURCE_EXHAUSTED);
          if (limit) throw new AgentStreamLimitError(agentId, this.o.maxStreamsPerAgent, limit.details);
          const busy = r.find((e) => e.code === status.DEADLINE_EXCEEDED);
          if (busy) throw new AgentBusyError(agentId, 0, waitMs, busy.details);
          // Otherwise the replicas no longer have it (it moved, or a replica died): wait for its next tunnel.
        }
      } catch (e) {
        arrival.cancel();
        throw e;
      }
      if (Date.now() >= deadline) {
        arrival.cancel();
        throw new NoAgentTunnelError(agentId, await this.lastSeen(agentId));
      }
      await arrival.promise;
      // Looks once more after the last wait, then gives up above.
      if (signal?.aborted) throw new Error("request cancelled while waiting for the agent");
    }
  }

  release(stream: AgentStream): void {
    if (stream instanceof RemoteStream) stream.abandon();
    else this.local.release(stream);
  }

  status(agentId: string): AgentStatus {
    return this.local.status(agentId);
  }

  async statusEverywhere(agentId: string): Promise<AgentStatusEverywhere> {
    const here = this.local.status(agentId);
    let others: Replica[];
    try {
      others = (await this.replicas(agentId)).filter((r) => r.kasId !== this.o.kasId);
    } catch {
      // Redis away: what this kas knows (the UI must not claim "not connected" for another replica's agent, but cannot know).
      return { ...here, replicas: here.connected ? [this.o.kasId] : [] };
    }
    const connected = here.connected || others.length > 0;
    return {
      ...here,
      connected,
      connections: here.connections + others.reduce((n, r) => n + r.connections, 0),
      lastSeenMs: connected ? Date.now() : await this.lastSeen(agentId),
      replicas: [...(here.connected ? [this.o.kasId] : []), ...others.map((r) => r.kasId)].sort(),
    };
  }

  closeAgent(agentId: string, code: number, details: string): void {
    this.local.closeAgent(agentId, code, details);
  }

  async publishAgentEvent(event: AgentEvent): Promise<void> {
    // This replica acts at once; the others hear it from Redis.
    this.local.deliverAgentEvent(event);
    try {
      await this.redis.publish(EVENTS_CHANNEL, JSON.stringify({ ...event, from: this.o.kasId }));
    } catch (e) {
      this.redisFailed((e as Error).message);
      throw new Error(
        `${event.kind === "notice" ? `delivered the agent ${event.agentId}'s ${event.topic} here` : `closed agent ${event.agentId}'s tunnels on this kas`}, but the tunnel registry (Redis) is unreachable, so other kas replicas were not told: ${(e as Error).message}`,
      );
    }
  }

  onAgentEvent(fn: (event: AgentEvent) => void): void {
    this.local.onAgentEvent(fn);
  }

  touch(agentId: string): void {
    this.local.touch(agentId);
  }

  agents(): string[] {
    return this.local.agents();
  }
}
