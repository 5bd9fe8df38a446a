// One Connect stream the agent opened to kas. Idle, it waits for kas to send a request; active, it
// serves that one request against the Kubernetes API and answers; then it goes back to idle (kas may
// send the next request on it) or ends. The pool (pool.ts) decides how many there are and when they go.
import type { Duplex, Readable, Writable } from "node:stream";
import { Metadata, type ClientDuplexStream, type ServiceError } from "@grpc/grpc-js";
import { relayBody } from "../../lib/common/body-relay";
import { CHUNK_SIZE } from "../../lib/common/tunnel-wire";
import { traceHop, type HopTrace } from "../../lib/common/tunnel-trace";
import type { ReverseTunnelClient } from "../../lib/common/chunk-codec";
import type { ConnectRequest, ConnectResponse, HeaderField } from "../../proto/gen/tether/v1/tunnel";
import type { KubeApi, UpstreamRequest } from "../kube-proxy";
import type { AgentMetrics } from "../metrics";
import { CHANNEL_SECRET_KEY, CHANNEL_STREAM_KEY } from "../../lib/common/data-channel-wire";
import type { AgentDataChannels, ChannelSender } from "./data-channel";

type Call = ClientDuplexStream<ConnectRequest, ConnectResponse>;

export type ConnectStreamState = "opening" | "idle" | "active" | "done";

/** What a stream tells its pool, and asks it. */
export interface StreamOwner {
  /** kas accepted the stream (token checked, under the cap): it is idle now. */
  accepted(stream: ConnectStream): void;
  /** A request arrived: the stream is no longer idle. */
  activated(stream: ConnectStream): void;
  /** May the stream stay open for the next request once this one is served well? */
  mayStayOpen(stream: ConnectStream): boolean;
  /** The request is served and the stream stays open: idle again. */
  reused(stream: ConnectStream): void;
  /** The stream ended (`err` when it failed) while in state `was`. */
  ended(stream: ConnectStream, err: ServiceError | null, was: ConnectStreamState): void;
}

const EMPTY = Buffer.alloc(0);

export class ConnectStream {
  state: ConnectStreamState = "opening";
  /** Told to retire: it ends after the request it may still receive. */
  retired = false;
  private readonly call: Call;
  private upstream: UpstreamRequest | null = null;
  private response: Readable | null = null;
  /**
   * A connection upgrade (exec, attach, port-forward): bytes from kas wait here until the API server
   * switches protocols, then flow on the upgraded socket both ways.
   */
  private upgrade: { early: Buffer[]; ended: boolean; socket: Duplex | null } | null = null;
  /** kas's messages wait while the API server takes no more of the request body. */
  private pausedForUpstream = false;
  /** The running request's timeline, when TETHER_TUNNEL_TRACE is set. */
  private trace: HopTrace | null = null;
  /** This stream's end on its kas connection's data channel, when kas offered one and the agent dials it. */
  private sender: ChannelSender | null = null;
  /** Body bytes of the running response sent on the data channel (the trailer tells kas). */
  private channelBytes = 0;

  constructor(
    client: InstanceType<typeof ReverseTunnelClient>,
    metadata: Metadata,
    /** The kas connection it was opened on (the pool's id for it then). */
    readonly connectionId: string,
    private readonly o: {
      kube: KubeApi;
      metrics: AgentMetrics;
      owner: StreamOwner;
      /** Absent: every body goes on gRPC (a receptive agent: kas dialled it). */
      channels?: AgentDataChannels;
    },
  ) {
    this.call = client.connect(metadata);
    // kas sends response metadata once it has accepted the stream (token checked, under the cap),
    // with this stream's place on the connection's data channel.
    this.call.on("metadata", (md: Metadata) => {
      const secret = md.get(CHANNEL_SECRET_KEY)[0];
      const number = Number(md.get(CHANNEL_STREAM_KEY)[0]);
      if (this.o.channels && typeof secret === "string" && secret && Number.isInteger(number) && number > 0)
        this.sender = this.o.channels.sender(secret, number);
      this.becomeIdle();
    });
    this.call.on("error", (e: ServiceError) => this.done(e));
    this.call.on("end", () => this.done(null));
    this.call.on("status", () => undefined);
    this.call.on("data", (m: ConnectResponse) => this.onMessage(m));
    this.call.write({ msg: { $case: "hello", value: { connectionId } } });
  }

  /** Asks kas to end this stream (if kas has just handed it a request, that request is served first). */
  retire(): void {
    this.retired = true;
    this.call.write({ msg: { $case: "retire", value: {} } });
  }

  /** Ends the stream at once (the agent is stopping). */
  cancel(): void {
    this.call.cancel();
  }

  private resumeFromUpstream(): void {
    if (!this.pausedForUpstream) return;
    this.pausedForUpstream = false;
    this.call.resume();
  }

  private becomeIdle(): void {
    if (this.state !== "opening") return;
    this.state = "idle";
    this.o.owner.accepted(this);
  }

  private done(err: ServiceError | null): void {
    if (this.state === "done") return;
    const was = this.state;
    this.state = "done";
    this.sender?.release();
    this.sender = null;
    // Nobody can receive the rest of a running request's answer: stop reading it (a watch never ends on its own).
    if (was === "active") {
      this.response?.destroy();
      this.upstream?.destroy();
      this.upgrade?.socket?.destroy();
    }
    this.o.owner.ended(this, err, was);
  }

  /** Ends the request: a trailer, or (`whole`) the complete small answer in one header message. */
  private finish(error: string, whole?: { status: number; headers: HeaderField[]; body: Buffer }): void {
    if (this.state !== "active") return;
    // A stream that served a request well goes back to idle for the next one (no new stream to
    // open), unless it was retired or its connection is being replaced (the pool's trim retires
    // surplus streams that then stay unused).
    const keepOpen = error === "" && this.o.owner.mayStayOpen(this);
    if (this.trace) {
      if (whole) this.trace.flow("to-kas", whole.body.length);
      this.trace.done();
      this.trace = null;
    }
    this.sender?.onLost(null);
    if (whole)
      this.call.write({ msg: { $case: "header", value: { ...whole, complete: true, keepOpen, channel: false } } });
    else this.call.write({ msg: { $case: "trailer", value: { error, keepOpen, channelBytes: this.channelBytes } } });
    this.upstream = null;
    this.response = null;
    this.upgrade = null;
    // An upstream that answered before taking the whole body (a 413) never drains: the stream must not stay paused for the next request.
    this.resumeFromUpstream();
    if (keepOpen) {
      this.state = "idle";
      this.o.owner.reused(this);
    } else {
      this.call.end();
    }
  }

  /** The header of an answer whose body follows (`channel`: on the data channel, not as gRPC messages). */
  private sendHeader(res: { status: number; headers: HeaderField[] }, channel: boolean): void {
    this.call.write({
      msg: {
        $case: "header",
        value: { status: res.status, headers: res.headers, complete: false, body: EMPTY, keepOpen: false, channel },
      },
    });
  }

  /** Sends what `source` yields to kas as body messages until it ends (on the data channel with `sender`). */
  private relay(source: Readable, current: () => boolean, onEnd: () => void, sender?: ChannelSender): void {
    relayBody(
      source,
      sender
        ? {
            send: (data, written) => {
              this.trace?.flow("to-kas", data.length);
              this.channelBytes += data.length;
              return sender.send(data, written);
            },
            onceDrain: (fn) => sender.onceDrain(fn),
          }
        : {
            send: (data, written) => {
              this.trace?.flow("to-kas", data.length);
              return this.call.write({ msg: { $case: "data", value: { data } } }, written);
            },
            onceDrain: (fn) => this.call.once("drain", fn),
          },
      {
        current: () => this.state === "active" && current(),
        onEnd,
        observe: (n) => this.o.metrics.bodyMessageBytes.observe(n),
      },
    );
  }

  private onMessage(m: ConnectResponse): void {
    const msg = m.msg;
    if (!msg) return;
    switch (msg.$case) {
      case "header": {
        if (this.state === "opening") this.becomeIdle();
        if (this.state !== "idle") return;
        this.state = "active";
        this.o.owner.activated(this);
        this.channelBytes = 0;
        const started = process.hrtime.bigint();
        const trace = traceHop("agent", msg.value.path);
        this.trace = trace;
        const req = this.o.kube.request(msg.value);
        this.upstream = req;
        const served = (whole?: { status: number; headers: HeaderField[]; body: Buffer }) => {
          this.o.metrics.requests.inc({ outcome: "ok" });
          this.o.metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
          this.finish("", whole);
        };
        if (msg.value.headers.some((f) => f.name.toLowerCase() === "upgrade")) {
          const up = { early: [] as Buffer[], ended: false, socket: null as Duplex | null };
          this.upgrade = up;
          req.end(); // no body before the switch: after it, bytes flow on the socket
          req.onUpgrade((res, socket, head) => {
            if (this.upstream !== req) {
              socket.destroy();
              return;
            }
            up.socket = socket;
            this.sendHeader(res, false);
            if (head.length > 0) socket.unshift(head);
            for (const b of up.early.splice(0)) socket.write(b);
            if (up.ended) socket.end();
            const current = () => this.upstream === req;
            this.relay(socket, current, () => socket.end());
            socket.on("close", () => {
              if (current()) served();
            });
            socket.on("error", (e) => {
              if (current()) this.finish(`the Kubernetes API server's connection broke: ${e.message}`);
            });
          });
        }
        req.onResponse((res) => {
          if (this.upstream !== req) return;
          trace?.mark("upstream-header");
          if (trace) res.body.on("data", (b: Buffer) => trace.flow("from-apiserver", b.length));
          this.response = res.body;
          if (res.length !== undefined && res.length <= CHUNK_SIZE) {
            // A small answer of known length goes back whole, in one message (no chunk, no trailer).
            const parts: Buffer[] = [];
            res.body.on("data", (b: Buffer) => parts.push(b));
            res.body.on("end", () => {
              if (this.upstream === req)
                served({
                  status: res.status,
                  headers: res.headers,
                  body: parts.length === 1 ? parts[0]! : Buffer.concat(parts),
                });
            });
          } else {
            // A streamed body goes on the data channel when it is up (kas then reads the trailer's byte count).
            const sender = this.sender?.usable ? this.sender : undefined;
            this.sendHeader(res, sender !== undefined);
            sender?.onLost((reason) => {
              if (this.upstream !== req) return;
              res.body.destroy();
              this.finish(`the data channel to kas broke: ${reason}`);
            });
            this.relay(
              res.body,
              () => this.upstream === req,
              () => served(),
              sender,
            );
          }
          res.body.on("error", (e) => {
            if (this.upstream === req) this.finish(`the Kubernetes API server's response broke: ${e.message}`);
          });
        });
        req.onError((e) => {
          if (this.state !== "active" || this.upstream !== req) return;
          this.o.metrics.requests.inc({ outcome: "upstream_error" });
          this.finish(
            this.response
              ? `the Kubernetes API server's response broke: ${e.message}`
              : `cannot reach the Kubernetes API server at ${this.o.kube.server}: ${e.message}`,
          );
        });
        return;
      }
      case "data": {
        const data = msg.value.data;
        const into: Pick<Writable, "write" | "once"> | UpstreamRequest | null = this.upgrade
          ? this.upgrade.socket
          : this.upstream;
        if (this.upgrade && !this.upgrade.socket) this.upgrade.early.push(data);
        else if (into && !into.write(data)) {
          this.call.pause();
          this.pausedForUpstream = true;
          into.once("drain", () => this.resumeFromUpstream());
        }
        return;
      }
      case "end":
        if (this.upgrade) {
          if (this.upgrade.socket) this.upgrade.socket.end();
          else this.upgrade.ended = true;
        } else this.upstream?.end();
        return;
      case "cancel":
        this.o.metrics.requests.inc({ outcome: "cancelled" });
        this.upgrade?.socket?.destroy();
        this.response?.destroy();
        this.upstream?.destroy();
        this.upstream = null;
        this.finish("cancelled by the caller");
        return;
    }
  }
}
