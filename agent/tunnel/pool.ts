// The agent's side of the reverse tunnel: keeps at least `minIdle` Connect streams open to kas (never
// more than `maxStreams` in all) and reconnects with exponential backoff and jitter. When kas ages a
// connection out (GOAWAY), idle streams of the old connection are retired and fresh ones open on the
// new connection, while running requests finish. A stream that served a request is kept for the next
// one; idle streams beyond the minimum that stay unused for a whole trim interval are retired, half of
// the surplus at a time, so a burst's streams fade away instead of being closed and reopened while
// requests keep coming. Each stream serves its requests itself (stream.ts).
import { randomUUID } from "node:crypto";
import { connectivityState, status, type Metadata, type ServiceError } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { ReverseTunnelClient } from "../../lib/common/chunk-codec";
import type { KubeApi } from "../kube-proxy";
import type { AgentMetrics } from "../metrics";
import { backoffDelay } from "../../lib/common/backoff";
import type { AgentDataChannels } from "./data-channel";
import { ConnectStream, type ConnectStreamState, type StreamOwner } from "./stream";

interface PoolOptions {
  client: InstanceType<typeof ReverseTunnelClient>;
  /** Call metadata for each new stream (the agent's token). */
  metadata: () => Metadata;
  kube: KubeApi;
  minIdle: number;
  maxStreams: number;
  /** How often surplus idle streams are looked at (ms); default 30 s. */
  trimIntervalMs?: number;
  log: Logger;
  metrics: AgentMetrics;
  /** The data channels to kas; absent: every body goes on gRPC. */
  channels?: AgentDataChannels;
}

export class TunnelStreamPool {
  private connectionId = randomUUID();
  /** Idle streams, with when each last finished a request (or opened). */
  private idleSince = new Map<ConnectStream, number>();
  private trimTimer: NodeJS.Timeout | null = null;
  private opening = 0;
  private total = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private waitingForFreeStream = false;
  private stopped = false;
  private lastError = "";

  /** How this pool's streams report to it. */
  private readonly owner: StreamOwner = {
    accepted: (s) => this.accepted(s),
    activated: (s) => this.activated(s),
    mayStayOpen: (s) => this.mayStayOpen(s),
    reused: (s) => this.reused(s),
    ended: (s, err, was) => this.ended(s, err, was),
  };

  constructor(private readonly o: PoolOptions) {}

  start(): void {
    this.watchConnection(this.o.client.getChannel().getConnectivityState(true));
    this.fill();
    const every = this.o.trimIntervalMs ?? 30_000;
    this.trimTimer = setInterval(() => this.trim(every), every);
    this.trimTimer.unref();
  }

  private setIdle(stream: ConnectStream): void {
    this.idleSince.set(stream, Date.now());
  }

  private unsetIdle(stream: ConnectStream): void {
    this.idleSince.delete(stream);
  }

  private updateIdleGauge(): void {
    this.o.metrics.idleStreams.set(this.idleSince.size);
  }

  /** Takes an idle stream out of the pool and asks kas to end it. */
  private retire(stream: ConnectStream): void {
    this.unsetIdle(stream);
    stream.retire();
  }

  /** Retires half of the idle streams beyond the minimum that stayed unused for `unusedMs`. */
  private trim(unusedMs: number): void {
    const surplus = this.idleSince.size - this.o.minIdle;
    if (surplus <= 0) return;
    const cutoff = Date.now() - unusedMs;
    const stale = [...this.idleSince].filter(([, since]) => since <= cutoff).map(([stream]) => stream);
    const n = Math.min(stale.length, Math.ceil(surplus / 2));
    for (const stream of stale.slice(0, n)) this.retire(stream);
    if (n > 0) this.o.log.debug({ retired: n, idle: this.idleSince.size }, "retired idle tunnel streams nobody used");
    this.updateIdleGauge();
  }

  /** Stops opening streams and ends idle ones; running requests may finish. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    for (const stream of this.idleSince.keys()) stream.cancel();
    this.idleSince.clear();
  }

  get counts() {
    return { idle: this.idleSince.size, total: this.total, failures: this.failures, lastError: this.lastError };
  }

  private watchConnection(current: connectivityState): void {
    const channel = this.o.client.getChannel();
    channel.watchConnectivityState(current, Infinity, () => {
      if (this.stopped) return;
      const next = channel.getConnectivityState(false);
      if (current === connectivityState.READY && next !== connectivityState.READY) this.rotate();
      this.watchConnection(next);
    });
  }

  /** The connection left READY (GOAWAY at max age, or a drop): retire its idle streams, open new ones. */
  private rotate(): void {
    const old = [...this.idleSince.keys()];
    this.connectionId = randomUUID();
    for (const stream of old) this.retire(stream);
    this.o.log.info({ retired: old.length }, "kas connection is being replaced; opening streams on a new connection");
    this.fill();
  }

  private fill(): void {
    if (this.stopped || this.retryTimer || this.waitingForFreeStream) return;
    while (this.idleSince.size + this.opening < this.o.minIdle && this.total < this.o.maxStreams) this.open();
    this.updateIdleGauge();
    this.o.metrics.streams.set(this.total);
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    const delay = backoffDelay(this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.fill();
    }, delay);
  }

  private open(): void {
    this.opening++;
    this.total++;
    new ConnectStream(this.o.client, this.o.metadata(), this.connectionId, {
      kube: this.o.kube,
      metrics: this.o.metrics,
      owner: this.owner,
      channels: this.o.channels,
    });
  }

  private accepted(stream: ConnectStream): void {
    this.opening--;
    this.failures = 0;
    this.lastError = "";
    if (stream.connectionId === this.connectionId) this.setIdle(stream);
    else this.retire(stream);
    this.updateIdleGauge();
  }

  private activated(stream: ConnectStream): void {
    this.unsetIdle(stream);
    this.fill(); // keep the idle minimum while this stream is busy
  }

  private mayStayOpen(stream: ConnectStream): boolean {
    return !this.stopped && !stream.retired && stream.connectionId === this.connectionId;
  }

  private reused(stream: ConnectStream): void {
    this.setIdle(stream);
    this.updateIdleGauge();
  }

  private ended(stream: ConnectStream, err: ServiceError | null, was: ConnectStreamState): void {
    if (was === "opening") this.opening--;
    this.unsetIdle(stream);
    this.total--;
    if (err && was !== "active" && !stream.retired && !this.stopped && err.code !== status.CANCELLED) {
      // Streams opened together fail together: count one failed attempt per round, not per stream.
      if (this.retryTimer) return;
      this.failures++;
      this.lastError = err.details || err.message;
      this.o.metrics.connectErrors.inc({ code: status[err.code] ?? String(err.code) });
      if (err.code === status.UNAUTHENTICATED) {
        this.o.log.error(
          { attempt: this.failures },
          `kas refused the agent token: ${err.details}. Check the token (it may be revoked); retrying with backoff`,
        );
      } else if (err.code === status.RESOURCE_EXHAUSTED) {
        // At kas's per-agent stream limit: open again only when one of ours ends.
        this.waitingForFreeStream = true;
        return;
      } else if (this.failures === 1 || this.failures % 10 === 0) {
        this.o.log.warn({ attempt: this.failures, code: err.code }, `tunnel stream to kas failed: ${err.details}`);
      }
      this.scheduleRetry();
      return;
    }
    this.waitingForFreeStream = false;
    this.fill();
  }
}
