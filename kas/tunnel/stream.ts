// One Connect stream opened by an agent. Idle, it waits for kas to hand it a request; active, it
// carries exactly one request and its response, then the agent ends it.
import { status, type ServerDuplexStream } from "@grpc/grpc-js";
import type { ConnectRequest, ConnectResponse, RequestHeader, ResponseHeader } from "../../proto/gen/tether/v1/tunnel";
import { releaseChunk } from "../../lib/common/chunk-codec";
import type { ChannelLink, ChannelStream } from "./data-channel";

export interface ResponseSink {
  onHeader(header: ResponseHeader): void;
  /**
   * Returns false when the receiver is full; the stream then pauses until resume() is called. `done`, when
   * given, is to be called once nothing holds `data` any more (its buffer then serves another message); a
   * sink that keeps the bytes (or cannot tell) never calls it.
   */
  onData(data: Buffer, done?: () => void): boolean;
  onTrailer(error: string): void;
  /** The stream died before the trailer: the request fails with this message. */
  onBroken(message: string): void;
}

/**
 * What a request needs from the stream that carries it: a tunnel stream on this kas (TunnelStream) or
 * one forwarded through another kas replica (kas/routing's RemoteStream).
 */
export interface AgentStream {
  readonly agentId: string;
  readonly agentName: string;
  /** Hands the stream a request. Body pieces follow with sendData, then endRequest(). */
  start(header: RequestHeader, sink: ResponseSink): void;
  /** `written` once the message has left; false when the stream is full (wait for onceDrain). */
  sendData(data: Buffer, written?: () => void): boolean;
  onceDrain(fn: () => void): void;
  endRequest(): void;
  /** The caller went away: the agent aborts the upstream request. */
  cancel(): void;
  pause(): void;
  resume(): void;
}

let nextStreamNumber = 0;
const EMPTY = Buffer.alloc(0);

export class TunnelStream implements AgentStream, ChannelStream {
  readonly id = `s${++nextStreamNumber}`;
  state: "idle" | "active" | "closed" = "idle";
  retired = false;
  private sink: ResponseSink | null = null;
  /** The running request has no body (its header said so): no end-of-request message is due. */
  private noBody = false;
  private trailerSeen = false;
  private closeListeners: (() => void)[] = [];
  private reuseListeners: (() => void)[] = [];
  /** The stream's place on its connection's data channel (set once kas offered it). */
  private link: ChannelLink | null = null;
  /**
   * The running request's body on the data channel: bytes that came before the response header, the
   * bytes received so far, the trailer waiting for the rest (the channel and gRPC are not ordered with
   * each other), and credit held back while the receiver is full.
   */
  private ch = { viaChannel: false, headerSeen: false, early: [] as Buffer[], received: 0, lostBeforeHeader: false };
  private pendingEnd: { error: string; keepOpen: boolean; bytes: number } | null = null;
  private paused = false;
  private withheldCredit = 0;

  constructor(
    readonly agentId: string,
    readonly agentName: string,
    readonly connectionId: string,
    private readonly call: ServerDuplexStream<ConnectRequest, ConnectResponse>,
  ) {
    call.on("data", (m: ConnectRequest) => this.onMessage(m));
    call.on("end", () => this.close("the agent ended the stream"));
    // terminate() ends the call with a status by emitting it as an error: its details are the reason.
    call.on("error", (e: Error & { details?: string }) =>
      this.close(e.message ? `tunnel stream failed: ${e.message}` : (e.details ?? "tunnel stream failed")),
    );
    call.on("close", () => this.close("tunnel stream closed"));
    call.on("cancelled", () => this.close("the agent's connection went away"));
  }

  onClose(fn: () => void): void {
    this.closeListeners.push(fn);
  }

  /** Called when the agent keeps the stream open after a response: it is idle again. */
  onReuse(fn: () => void): void {
    this.reuseListeners.push(fn);
  }

  /** The stream's place on its connection's data channel. */
  attachChannel(link: ChannelLink): void {
    this.link = link;
  }

  /** Hands this idle stream a request. Body pieces follow with sendData, then end(). */
  start(header: RequestHeader, sink: ResponseSink): void {
    if (this.state !== "idle") throw new Error(`stream ${this.id} is ${this.state}, not idle`);
    this.state = "active";
    this.sink = sink;
    this.ch = { viaChannel: false, headerSeen: false, early: [], received: 0, lostBeforeHeader: false };
    this.pendingEnd = null;
    this.noBody = header.noBody;
    this.call.write({ msg: { $case: "header", value: header } });
  }

  /** `written` once the message has left (at once when the stream is no longer active). */
  sendData(data: Buffer, written?: () => void): boolean {
    if (this.state !== "active") {
      written?.();
      return true;
    }
    return this.call.write({ msg: { $case: "data", value: { data } } }, written);
  }

  onceDrain(fn: () => void): void {
    this.call.once("drain", fn);
  }

  endRequest(): void {
    if (this.state === "active" && !this.noBody) this.call.write({ msg: { $case: "end", value: {} } });
  }

  /** The caller went away: the agent aborts the upstream request and ends the stream. */
  cancel(): void {
    if (this.state !== "active") return;
    this.sink = null;
    this.call.write({ msg: { $case: "cancel", value: {} } });
  }

  pause(): void {
    this.paused = true;
    this.call.pause();
  }

  resume(): void {
    this.paused = false;
    this.releaseCredit();
    this.call.resume();
  }

  /** Body bytes of the running request that arrived on the data channel. */
  onChannelData(data: Buffer): void {
    if (this.state !== "active") {
      this.link?.credit(data.length);
      return;
    }
    this.ch.received += data.length;
    if (!this.ch.headerSeen) this.ch.early.push(data);
    else this.deliver(data);
    const end = this.pendingEnd;
    if (end && this.ch.received >= end.bytes) {
      this.pendingEnd = null;
      this.endResponse(end.error, end.keepOpen);
    }
  }

  /** The connection's data channel closed: a request whose body was on it cannot complete. */
  channelLost(reason: string): void {
    if (this.state !== "active") return;
    if (!this.ch.headerSeen) this.ch.lostBeforeHeader = true;
    else if (this.ch.viaChannel) this.terminate(status.UNAVAILABLE, `the agent's data channel broke: ${reason}`);
  }

  private deliver(data: Buffer): void {
    if (!this.sink) {
      this.link?.credit(data.length); // cancelled: dropped, and the agent may send on
      return;
    }
    if (this.sink.onData(data, () => releaseChunk(data)) && !this.paused) this.link?.credit(data.length);
    else {
      this.paused = true;
      this.withheldCredit += data.length;
    }
  }

  private releaseCredit(): void {
    if (this.withheldCredit === 0) return;
    this.link?.credit(this.withheldCredit);
    this.withheldCredit = 0;
  }

  /** Ends the stream from kas's side (idle retired stream, revoked token, shutdown). */
  terminate(code?: number, details?: string): void {
    if (this.state === "closed") return;
    if (code !== undefined) this.call.emit("error", { code, details });
    else this.call.end();
    this.close(details ?? "closed by kas");
  }

  private onMessage(m: ConnectRequest): void {
    const msg = m.msg;
    if (!msg) return;
    switch (msg.$case) {
      case "retire":
        if (this.state === "idle") {
          this.retired = true;
          this.terminate();
        }
        return;
      case "header": {
        const { status: code, headers, complete, body, keepOpen, channel } = msg.value;
        if (channel && this.ch.lostBeforeHeader) {
          this.terminate(status.UNAVAILABLE, "the agent's data channel broke before the response");
          return;
        }
        // Sinks see the plain header; a complete answer then arrives as its body and a clean end.
        this.sink?.onHeader({ status: code, headers, complete: false, body: EMPTY, keepOpen: false, channel: false });
        this.ch.headerSeen = true;
        this.ch.viaChannel = channel;
        if (complete) {
          if (body.length > 0) this.sink?.onData(body);
          this.endResponse("", keepOpen);
        } else for (const b of this.ch.early.splice(0)) this.deliver(b);
        return;
      }
      case "data":
        if (this.sink && !this.sink.onData(msg.value.data)) this.call.pause();
        return;
      case "trailer": {
        const { error, keepOpen, channelBytes } = msg.value;
        // Body bytes still on their way on the data channel: the end waits for them.
        if (this.ch.received < channelBytes) this.pendingEnd = { error, keepOpen, bytes: channelBytes };
        else this.endResponse(error, keepOpen);
        return;
      }
      case "hello":
        return;
    }
  }

  private endResponse(error: string, keepOpen: boolean): void {
    const sink = this.sink;
    this.sink = null;
    // The next request has another receiver: credit held back for this one's goes back now.
    this.paused = false;
    this.releaseCredit();
    if (keepOpen && this.state === "active") {
      // The agent keeps the stream for the next request: idle again before the caller hears
      // the end, so the registry can hand it out at once.
      this.state = "idle";
      for (const fn of this.reuseListeners) fn();
    } else {
      this.trailerSeen = true;
    }
    sink?.onTrailer(error);
  }

  private close(reason: string): void {
    if (this.state === "closed") return;
    const wasActive = this.state === "active";
    this.state = "closed";
    // A trailer that waited for body bytes still on the data channel says what went wrong better than the stream's end.
    const why = this.pendingEnd?.error || reason;
    this.pendingEnd = null;
    if (wasActive && !this.trailerSeen && this.sink)
      this.sink.onBroken(`the tunnel to agent "${this.agentName}" broke mid-request: ${why}`);
    this.sink = null;
    // Finish kas's side too, so the agent sees its stream end and can open a fresh one.
    if (!this.call.writableEnded && !this.call.destroyed) this.call.end();
    for (const fn of this.closeListeners.splice(0)) fn();
  }
}
