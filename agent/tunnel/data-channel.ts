// The agent's end of the data channels (lib/common/data-channel-wire.ts): one socket per kas connection
// (the secret kas gave that connection's streams names it), dialled the first time a stream is offered
// it, carrying the bodies of streamed responses to kas. A stream uses it only once kas said READY; a
// channel that cannot be opened (a load balancer that speaks only HTTP/2, an old kas) leaves every
// byte on gRPC as before. Per-stream credit: a stream never has more than STREAM_CREDIT_BYTES unreturned.
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import {
  ChannelProtocolError,
  DATA_CHANNEL_MAGIC,
  FrameReader,
  FrameType,
  STREAM_CREDIT_BYTES,
  controlFrame,
  frameHeader,
} from "../../lib/common/data-channel-wire";
import type { AgentMetrics } from "../metrics";

/** Opens a connection to kas's agent port (TCP, or TLS as the gRPC connection uses). */
export type ChannelDialer = () => Duplex;

/** Bytes the channel's socket may hold unsent before senders wait for it to drain. */
const SOCKET_BUFFER_BYTES = 1024 * 1024;
/** Attempts to open a channel for one kas connection before its streams stay on gRPC for good. */
const MAX_ATTEMPTS = 3;

export class AgentDataChannels {
  private readonly bySecret = new Map<string, AgentDataChannel>();

  constructor(
    private readonly dial: ChannelDialer,
    private readonly log: Logger,
    private readonly metrics: AgentMetrics,
  ) {}

  /** Stream `number` of the kas connection that `secret` names: its sending end on that connection's channel. */
  sender(secret: string, number: number): ChannelSender {
    let ch = this.bySecret.get(secret);
    if (!ch) {
      ch = new AgentDataChannel(secret, this.dial, this.log, this.metrics, () => this.bySecret.delete(secret));
      this.bySecret.set(secret, ch);
    }
    return ch.sender(number);
  }
}

class AgentDataChannel {
  private socket: Duplex | null = null;
  private ready = false;
  private gaveUp = false;
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly senders = new Map<number, ChannelSender>();

  constructor(
    private readonly secret: string,
    private readonly dial: ChannelDialer,
    private readonly log: Logger,
    private readonly metrics: AgentMetrics,
    private readonly gone: () => void,
  ) {
    this.connect();
  }

  get usable(): boolean {
    return this.ready;
  }

  get full(): boolean {
    return this.socket !== null && this.socket.writableLength >= SOCKET_BUFFER_BYTES;
  }

  sender(number: number): ChannelSender {
    const s = new ChannelSender(this, number, () => {
      if (this.senders.get(number) === s) this.senders.delete(number);
      if (this.senders.size === 0) this.close("no stream of its connection is left", true);
    });
    this.senders.set(number, s);
    return s;
  }

  write(stream: number, data: Buffer, written: () => void): boolean {
    const socket = this.socket;
    if (!socket || !this.ready) {
      written();
      return false;
    }
    this.metrics.dataChannelBytes.inc(data.length);
    socket.cork();
    socket.write(frameHeader(FrameType.Data, stream, data.length));
    socket.write(data, () => written());
    process.nextTick(() => socket.uncork());
    return socket.writableLength < SOCKET_BUFFER_BYTES;
  }

  /** `final`: nothing will use this channel again (no retry). */
  close(reason: string, final = false): void {
    if (final) {
      this.gaveUp = true;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.gone();
    }
    const socket = this.socket;
    this.socket = null;
    const wasReady = this.ready;
    this.ready = false;
    socket?.destroy();
    if (wasReady) {
      this.log.info({ reason }, "data channel to kas closed; response bodies go on gRPC until it is back");
      for (const s of this.senders.values()) s.lost(reason);
    }
  }

  private connect(): void {
    if (this.gaveUp) return;
    this.attempts++;
    let socket: Duplex;
    try {
      socket = this.dial();
    } catch (e) {
      return this.failed(`cannot dial kas: ${(e as Error).message}`);
    }
    this.socket = socket;
    const reader = new FrameReader((type, stream, payload) => {
      if (this.socket !== socket) return;
      if (type === FrameType.Ready) {
        this.ready = true;
        this.attempts = 0;
        this.metrics.dataChannelConnects.inc({ outcome: "ready" });
        this.log.info("data channel to kas is ready");
      } else if (type === FrameType.Refused && this.ready) {
        // kas ends the channel with its connection (the connection's last stream ended): not a failure.
        this.close(`kas ended it: ${payload.toString("utf8")}`, true);
      } else if (type === FrameType.Refused) {
        this.metrics.dataChannelConnects.inc({ outcome: "refused" });
        this.failed(`kas refused it: ${payload.toString("utf8")}`, true);
      } else if (type === FrameType.Credit && this.ready && payload.length === 4) {
        this.senders.get(stream)?.addCredit(payload.readUInt32BE(0));
      } else {
        this.close(`unexpected frame type ${type} from kas`);
      }
    });
    socket.on("data", (b: Buffer) => {
      try {
        reader.push(b);
      } catch (e) {
        if (!(e instanceof ChannelProtocolError)) throw e;
        this.close(e.message);
      }
    });
    socket.on("drain", () => {
      if (this.socket === socket) for (const s of this.senders.values()) s.maybeDrained();
    });
    socket.on("error", (e: Error) => {
      if (this.socket === socket) this.failed(e.message);
    });
    socket.on("close", () => {
      if (this.socket === socket) this.failed("kas closed it");
    });
    const hello = Buffer.from(this.secret, "latin1");
    socket.write(Buffer.concat([DATA_CHANNEL_MAGIC, controlFrame(FrameType.Hello, 0, hello)]));
  }

  /** The connection failed or ended: try again a little later, MAX_ATTEMPTS in a row at most (`refused`: kas said no; counted as such, not as a failure). */
  private failed(reason: string, refused = false): void {
    const wasReady = this.ready;
    if (!refused && !wasReady) this.metrics.dataChannelConnects.inc({ outcome: "failed" });
    this.close(reason);
    if (this.gaveUp || this.senders.size === 0) return;
    if (this.attempts >= MAX_ATTEMPTS) {
      this.gaveUp = true;
      this.log.info({ reason, attempts: this.attempts }, "no data channel to kas: response bodies stay on gRPC");
      return;
    }
    const delay = wasReady ? 100 : 500 * this.attempts;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // The connection's streams may have ended meanwhile (kas restarted): then nothing needs the channel.
      if (this.senders.size > 0) this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}

/** One stream's sending end on its connection's channel. */
export class ChannelSender {
  private credit = STREAM_CREDIT_BYTES;
  private waiting: (() => void)[] = [];
  private lostListener: ((reason: string) => void) | null = null;

  constructor(
    private readonly channel: AgentDataChannel,
    readonly number: number,
    private readonly released: () => void,
  ) {}

  /** The channel is up: a response starting now may send its body here. */
  get usable(): boolean {
    return this.channel.usable;
  }

  /** Sends body bytes; false when the stream's credit or the socket is used up (wait for onceDrain). */
  send(data: Buffer, written: () => void): boolean {
    this.credit -= data.length;
    const socketOk = this.channel.write(this.number, data, written);
    return socketOk && this.credit > 0;
  }

  onceDrain(fn: () => void): void {
    this.waiting.push(fn);
    this.maybeDrained();
  }

  /** Called when the running response's body was on the channel and the channel went away. */
  onLost(fn: ((reason: string) => void) | null): void {
    this.lostListener = fn;
  }

  /** The stream ended: its number is not used again. */
  release(): void {
    this.waiting = [];
    this.lostListener = null;
    this.released();
  }

  /** @internal */
  addCredit(bytes: number): void {
    this.credit += bytes;
    this.maybeDrained();
  }

  /** @internal */
  maybeDrained(): void {
    // A full socket calls this again when it drains.
    if (this.credit <= 0 || this.waiting.length === 0 || this.channel.full) return;
    for (const fn of this.waiting.splice(0)) fn();
  }

  /** @internal the channel closed: a new one starts with full credit. */
  lost(reason: string): void {
    this.credit = STREAM_CREDIT_BYTES;
    this.waiting = [];
    this.lostListener?.(reason);
  }
}
