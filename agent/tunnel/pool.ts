// The agent's side of the reverse tunnel: keeps at least `minIdle` Connect streams open to kas (never
// more than `maxStreams` in all), serves each request that arrives on one, and reconnects with
// exponential backoff and jitter. When kas ages a connection out (GOAWAY), idle streams of the old
// connection are retired and fresh ones open on the new connection, while running requests finish.
// A stream that served a request is kept for the next one; idle streams beyond the minimum that stay
// unused for a whole trim interval are retired, half of the surplus at a time, so a burst's streams
// fade away instead of being closed and reopened while requests keep coming.
import { randomUUID } from "node:crypto";
import type { Duplex, Readable, Writable } from "node:stream";
import { Metadata, connectivityState, status, type ClientDuplexStream, type ServiceError } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { CHUNK_SIZE } from "../../lib/common/tunnel-errors";
import type { TunnelClient } from "../../lib/common/chunk-codec";
import type { ConnectRequest, ConnectResponse, HeaderField } from "../../proto/gen/tether/v1/tunnel";
import type { KubeApi, UpstreamRequest } from "../kube-proxy/forward";
import type { AgentMetrics } from "../metrics";
import { backoffDelay } from "../../lib/common/backoff";

type Call = ClientDuplexStream<ConnectRequest, ConnectResponse>;

const EMPTY = Buffer.alloc(0);

interface PoolOptions {
  client: InstanceType<typeof TunnelClient>;
  token: string;
  kube: KubeApi;
  minIdle: number;
  maxStreams: number;
  /** How often surplus idle streams are looked at (ms); default 30 s. */
  trimIntervalMs?: number;
  log: Logger;
  metrics: AgentMetrics;
}

export class TunnelPool {
  private connectionId = randomUUID();
  private idle = new Set<Call>();
  /** When each idle stream last finished a request (or opened). */
  private idleSince = new Map<Call, number>();
  /** Streams told to retire: they end after the request they may still receive. */
  private retired = new WeakSet<Call>();
  private trimTimer: NodeJS.Timeout | null = null;
  private opening = 0;
  private total = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private waitingForFreeStream = false;
  private stopped = false;
  private lastError = "";

  constructor(private readonly o: PoolOptions) {}

  start(): void {
    this.watchConnection(this.o.client.getChannel().getConnectivityState(true));
    this.fill();
    const every = this.o.trimIntervalMs ?? 30_000;
    this.trimTimer = setInterval(() => this.trim(every), every);
    this.trimTimer.unref();
  }

  private setIdle(call: Call): void {
    this.idle.add(call);
    this.idleSince.set(call, Date.now());
  }

  private unsetIdle(call: Call): void {
    this.idle.delete(call);
    this.idleSince.delete(call);
  }

  /** Takes an idle stream out of the pool and asks kas to end it (if kas has just handed it a request, that request is served first). */
  private retire(call: Call): void {
    this.unsetIdle(call);
    this.retired.add(call);
    call.write({ msg: { $case: "retire", value: {} } });
  }

  /** Retires half of the idle streams beyond the minimum that stayed unused for `unusedMs`. */
  private trim(unusedMs: number): void {
    const surplus = this.idle.size - this.o.minIdle;
    if (surplus <= 0) return;
    const cutoff = Date.now() - unusedMs;
    const stale = [...this.idleSince].filter(([, since]) => since <= cutoff).map(([call]) => call);
    const n = Math.min(stale.length, Math.ceil(surplus / 2));
    for (const call of stale.slice(0, n)) this.retire(call);
    if (n > 0) this.o.log.debug({ retired: n, idle: this.idle.size }, "retired idle tunnel streams nobody used");
    this.o.metrics.idleStreams.set(this.idle.size);
  }

  /** Stops opening streams and ends idle ones; running requests may finish. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    for (const call of this.idle) call.cancel();
    this.idle.clear();
    this.idleSince.clear();
  }

  get counts() {
    return { idle: this.idle.size, total: this.total, failures: this.failures, lastError: this.lastError };
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
    const old = [...this.idle];
    this.connectionId = randomUUID();
    for (const call of old) this.retire(call);
    this.o.log.info({ retired: old.length }, "kas connection is being replaced; opening streams on a new connection");
    this.fill();
  }

  private fill(): void {
    if (this.stopped || this.retryTimer || this.waitingForFreeStream) return;
    while (this.idle.size + this.opening < this.o.minIdle && this.total < this.o.maxStreams) this.open();
    this.o.metrics.idleStreams.set(this.idle.size);
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
    const md = new Metadata();
    md.set("authorization", `Bearer ${this.o.token}`);
    const call: Call = this.o.client.connect(md);
    const connectionId = this.connectionId;
    this.opening++;
    this.total++;
    let state: "opening" | "idle" | "active" | "done" = "opening";

    const becomeIdle = () => {
      if (state !== "opening") return;
      state = "idle";
      this.opening--;
      this.failures = 0;
      this.lastError = "";
      if (connectionId === this.connectionId) this.setIdle(call);
      else this.retire(call);
      this.o.metrics.idleStreams.set(this.idle.size);
    };
    // kas sends response metadata once it has accepted the stream (token checked, under the cap).
    call.on("metadata", becomeIdle);

    const done = (err: ServiceError | null) => {
      if (state === "done") return;
      const was = state;
      state = "done";
      if (was === "opening") this.opening--;
      this.unsetIdle(call);
      this.total--;
      if (err && was !== "active" && !this.retired.has(call) && !this.stopped && err.code !== status.CANCELLED) {
        // Streams opened together fail together: count one failed attempt per round, not per stream.
        if (this.retryTimer) return;
        this.failures++;
        this.lastError = err.details || err.message;
        this.o.metrics.connectErrors.inc({ code: status[err.code] ?? String(err.code) });
        if (err.code === status.UNAUTHENTICATED) {
          this.o.log.error({ attempt: this.failures }, `kas refused the agent token: ${err.details}. Check the token (it may be revoked); retrying with backoff`);
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
    };
    call.on("error", (e: ServiceError) => done(e));
    call.on("end", () => done(null));
    call.on("status", () => undefined);

    let upstream: UpstreamRequest | null = null;
    let response: Readable | null = null;
    // A connection upgrade (exec, attach, port-forward): bytes from kas wait here until the API
    // server switches protocols, then flow on `upgraded` both ways.
    let upgrade: { early: Buffer[]; ended: boolean; socket: Duplex | null } | null = null;
    /** Ends the request: a trailer, or (`whole`) the complete small answer in one header message. */
    const finish = (error: string, whole?: { status: number; headers: HeaderField[]; body: Buffer }) => {
      if (state !== "active") return;
      // A stream that served a request well goes back to idle for the next one (no new stream to
      // open), unless it was retired or its connection is being replaced (trim() retires surplus
      // streams that then stay unused).
      const keepOpen = error === "" && !this.stopped && !this.retired.has(call) && connectionId === this.connectionId;
      if (whole) call.write({ msg: { $case: "header", value: { ...whole, complete: true, keepOpen } } });
      else call.write({ msg: { $case: "trailer", value: { error, keepOpen } } });
      upstream = null;
      response = null;
      upgrade = null;
      if (keepOpen) {
        state = "idle";
        this.setIdle(call);
        this.o.metrics.idleStreams.set(this.idle.size);
      } else {
        call.end();
      }
    };

    /**
     * Sends what `source` yields to kas as body chunks until it ends. TLS hands bytes over in ~16 KiB
     * pieces: they are gathered into 32 KiB chunks (half the messages), and what is left goes on the
     * next turn so small answers and interactive sessions are not delayed.
     */
    const relay = (source: Readable, current: () => boolean, onEnd: () => void) => {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let flushScheduled = false;
      const send = (data: Buffer) => {
        if (!call.write({ msg: { $case: "data", value: { data } } })) {
          source.pause();
          call.once("drain", () => source.resume());
        }
      };
      const flush = (all: boolean) => {
        if (pendingBytes === 0) return;
        const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        let i = 0;
        for (; i + CHUNK_SIZE <= buf.length; i += CHUNK_SIZE) send(buf.subarray(i, i + CHUNK_SIZE));
        if (all && i < buf.length) {
          send(buf.subarray(i));
          i = buf.length;
        }
        pending = i < buf.length ? [buf.subarray(i)] : [];
        pendingBytes = buf.length - i;
      };
      source.on("data", (buf: Buffer) => {
        if (!current()) return;
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes >= CHUNK_SIZE) flush(false);
        if (pendingBytes > 0 && !flushScheduled) {
          flushScheduled = true;
          setImmediate(() => {
            flushScheduled = false;
            if (state === "active" && current()) flush(true);
          });
        }
      });
      source.on("end", () => {
        if (!current()) return; // a stream reused for a later request
        flush(true);
        onEnd();
      });
    };

    call.on("data", (m: ConnectResponse) => {
      const msg = m.msg;
      if (!msg) return;
      switch (msg.$case) {
        case "header": {
          if (state === "opening") becomeIdle();
          if (state !== "idle") return;
          state = "active";
          this.unsetIdle(call);
          this.fill(); // keep the idle minimum while this stream is busy
          const started = process.hrtime.bigint();
          const req = this.o.kube.request(msg.value);
          upstream = req;
          const served = (whole?: { status: number; headers: HeaderField[]; body: Buffer }) => {
            this.o.metrics.requests.inc({ outcome: "ok" });
            this.o.metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
            finish("", whole);
          };
          if (msg.value.headers.some((f) => f.name.toLowerCase() === "upgrade")) {
            const up = { early: [] as Buffer[], ended: false, socket: null as Duplex | null };
            upgrade = up;
            req.end(); // no body before the switch: after it, bytes flow on the socket
            req.onUpgrade((res, socket, head) => {
              if (upstream !== req) {
                socket.destroy();
                return;
              }
              up.socket = socket;
              call.write({ msg: { $case: "header", value: { status: res.status, headers: res.headers, complete: false, body: EMPTY, keepOpen: false } } });
              if (head.length > 0) socket.unshift(head);
              for (const b of up.early.splice(0)) socket.write(b);
              if (up.ended) socket.end();
              const current = () => upstream === req;
              relay(socket, current, () => socket.end());
              socket.on("close", () => {
                if (current()) served();
              });
              socket.on("error", (e) => {
                if (current()) finish(`the Kubernetes API server's connection broke: ${e.message}`);
              });
            });
          }
          req.onResponse((res) => {
            if (upstream !== req) return;
            response = res.body;
            if (res.length !== undefined && res.length <= CHUNK_SIZE) {
              // A small answer of known length goes back whole, in one message (no chunk, no trailer).
              const parts: Buffer[] = [];
              res.body.on("data", (b: Buffer) => parts.push(b));
              res.body.on("end", () => {
                if (upstream === req) served({ status: res.status, headers: res.headers, body: parts.length === 1 ? parts[0]! : Buffer.concat(parts) });
              });
            } else {
              call.write({ msg: { $case: "header", value: { status: res.status, headers: res.headers, complete: false, body: EMPTY, keepOpen: false } } });
              relay(res.body, () => upstream === req, () => served());
            }
            res.body.on("error", (e) => {
              if (upstream === req) finish(`the Kubernetes API server's response broke: ${e.message}`);
            });
          });
          req.onError((e) => {
            if (state !== "active" || upstream !== req) return;
            this.o.metrics.requests.inc({ outcome: "upstream_error" });
            finish(response ? `the Kubernetes API server's response broke: ${e.message}` : `cannot reach the Kubernetes API server at ${this.o.kube.server}: ${e.message}`);
          });
          return;
        }
        case "data": {
          const data = msg.value.data;
          const into: Pick<Writable, "write" | "once"> | UpstreamRequest | null = upgrade ? upgrade.socket : upstream;
          if (upgrade && !upgrade.socket) upgrade.early.push(data);
          else if (into && !into.write(data)) {
            call.pause();
            into.once("drain", () => call.resume());
          }
          return;
        }
        case "end":
          if (upgrade) {
            if (upgrade.socket) upgrade.socket.end();
            else upgrade.ended = true;
          } else upstream?.end();
          return;
        case "cancel":
          this.o.metrics.requests.inc({ outcome: "cancelled" });
          upgrade?.socket?.destroy();
          response?.destroy();
          upstream?.destroy();
          upstream = null;
          finish("cancelled by the caller");
          return;
      }
    });

    call.write({ msg: { $case: "hello", value: { connectionId } } });
  }
}
