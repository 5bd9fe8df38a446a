// kas's end of the agents' data channels (lib/common/data-channel-wire.ts): which connection a channel
// belongs to, and the streams whose response bodies arrive on it. Every Connect stream kas accepts is
// offered its connection's channel (a secret and a stream number in the accept metadata); the agent
// dials the channel when it can and says per response whether the body comes on it.
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import {
  ChannelProtocolError,
  FrameReader,
  FrameType,
  controlFrame,
  creditFrame,
} from "../../lib/common/data-channel-wire";
import type { KasMetrics } from "../metrics";

/** What a stream on a channel needs from it. */
export interface ChannelLink {
  /** The receiver took `bytes` more of the stream's body: the agent may send that much more. */
  credit(bytes: number): void;
}

/** The stream's side: its place on the channel, body bytes that arrived for it, and the loss of its channel. */
export interface ChannelStream {
  attachChannel(link: ChannelLink): void;
  onChannelData(data: Buffer): void;
  channelLost(reason: string): void;
  onClose(fn: () => void): void;
  readonly agentId: string;
  readonly connectionId: string;
}

interface Connection {
  key: string;
  secret: string;
  streams: Map<number, ChannelStream>;
  nextNumber: number;
  channel: KasDataChannel | null;
}

const HELLO_TIMEOUT_MS = 10_000;

export class DataChannelHub {
  private readonly byKey = new Map<string, Connection>();
  private readonly bySecret = new Map<string, Connection>();

  constructor(
    private readonly log: Logger,
    private readonly metrics: KasMetrics,
  ) {}

  /**
   * Numbers an accepted stream on its connection's channel and attaches the stream to it: returns what
   * the agent needs to dial the channel and address the stream on it.
   */
  offer(stream: ChannelStream): { secret: string; number: number } {
    const key = `${stream.agentId}\n${stream.connectionId}`;
    let conn = this.byKey.get(key);
    if (!conn) {
      conn = { key, secret: randomBytes(32).toString("base64url"), streams: new Map(), nextNumber: 0, channel: null };
      this.byKey.set(key, conn);
      this.bySecret.set(conn.secret, conn);
    }
    const c = conn;
    const number = ++c.nextNumber;
    c.streams.set(number, stream);
    stream.onClose(() => {
      c.streams.delete(number);
      if (c.streams.size > 0 || this.byKey.get(key) !== c) return;
      this.byKey.delete(key);
      this.bySecret.delete(c.secret);
      c.channel?.close("the connection's last stream ended", true);
    });
    stream.attachChannel({ credit: (bytes) => c.channel?.credit(number, bytes) });
    return { secret: c.secret, number };
  }

  /** A connection that began with the data channel's magic (kas's agent listener read it). */
  accept(socket: Duplex): void {
    new KasDataChannel(socket, this, this.log, this.metrics);
  }

  /** @internal the channel's hello: binds it to the connection whose secret it carries. */
  bind(channel: KasDataChannel, secret: string): Connection | null {
    const conn = this.bySecret.get(secret);
    if (!conn) return null;
    conn.channel?.close("replaced by a new data channel");
    conn.channel = channel;
    this.metrics.dataChannels.inc();
    return conn;
  }

  /** @internal */
  unbind(channel: KasDataChannel, conn: Connection, reason: string): void {
    this.metrics.dataChannels.dec();
    if (conn.channel !== channel) return;
    conn.channel = null;
    for (const s of conn.streams.values()) s.channelLost(reason);
  }
}

class KasDataChannel {
  private conn: Connection | null = null;
  private closed = false;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Duplex,
    private readonly hub: DataChannelHub,
    private readonly log: Logger,
    private readonly metrics: KasMetrics,
  ) {
    const reader = new FrameReader((type, stream, payload) => this.onFrame(type, stream, payload));
    this.helloTimer = setTimeout(() => this.refuse("no hello within 10 s"), HELLO_TIMEOUT_MS);
    this.helloTimer.unref();
    socket.on("data", (b: Buffer) => {
      if (this.closed) return;
      try {
        reader.push(b);
      } catch (e) {
        if (!(e instanceof ChannelProtocolError)) throw e;
        if (this.conn) this.close(e.message);
        else this.refuse(e.message);
      }
    });
    socket.on("error", (e: Error) => this.close(`data channel failed: ${e.message}`));
    socket.on("close", () => this.close("data channel closed"));
    socket.resume();
  }

  credit(stream: number, bytes: number): void {
    if (!this.closed && bytes > 0) this.socket.write(creditFrame(stream, bytes));
  }

  /** `tellAgent`: say why first, so that the agent does not dial again for this connection. */
  close(reason: string, tellAgent = false): void {
    if (!this.end(reason, tellAgent) || !this.conn) return;
    this.log.info({ agentId: this.conn.key.split("\n")[0], reason }, "agent data channel closed");
    this.hub.unbind(this, this.conn, reason);
  }

  /** A channel that never got a connection: counted and logged, and the agent hears why. */
  private refuse(reason: string): void {
    if (!this.end(reason, true)) return;
    this.metrics.dataChannelRefusals.inc();
    this.log.warn({ reason }, "refused an agent data channel");
  }

  /** Ends the socket, after a REFUSED frame with the reason when `tellAgent`. False when it had ended already. */
  private end(reason: string, tellAgent: boolean): boolean {
    if (this.closed) return false;
    this.closed = true;
    clearTimeout(this.helloTimer);
    if (tellAgent) {
      this.socket.end(controlFrame(FrameType.Refused, 0, Buffer.from(reason)));
      // A peer that never reads its refusal must not keep the socket.
      setTimeout(() => this.socket.destroy(), 1_000).unref();
    } else this.socket.destroy();
    return true;
  }

  private onFrame(type: number, stream: number, payload: Buffer): void {
    if (!this.conn) {
      if (type !== FrameType.Hello) return this.refuse("the first frame on a data channel must be hello");
      const conn = this.hub.bind(this, payload.toString("latin1"));
      if (!conn)
        return this.refuse(
          "no connection of this kas has that data channel secret (it ended, or the channel reached another kas replica)",
        );
      clearTimeout(this.helloTimer);
      this.conn = conn;
      this.socket.write(controlFrame(FrameType.Ready, 0));
      return;
    }
    if (type !== FrameType.Data) return this.close(`unexpected data channel frame type ${type} from the agent`);
    this.metrics.dataChannelBytes.inc(payload.length);
    // A stream that already ended: its bytes are dropped (the agent's stream ended with it).
    this.conn.streams.get(stream)?.onChannelData(payload);
  }
}
