// A stand-in for the TCP connection that a WebSocket client (ws, under @kubernetes/client-node's Exec)
// would open to the API server: it reads the HTTP request head Node's http client writes into it, sends
// that request through the agent's tunnel as a connection upgrade (TunnelClient.agentSocket), and when the
// API server switches protocols writes a 101 head back, then carries the upgraded bytes both ways. So the
// WebSocket handshake, framing, close and ping handling stay the libraries', and only the transport is ours.
// A refusal (any answer but 101) is kept in `failure` with the cluster's body, and the connection fails.
import { Duplex } from "node:stream";

export interface TunnelRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

export type OpenUpgrade = (req: TunnelRequest) => Promise<{ headers: Headers; socket: Duplex }>;

/** The largest request head accepted (a WebSocket handshake is a few hundred bytes). */
const MAX_HEAD_BYTES = 64 * 1024;

/** Parses an HTTP/1.1 request head (without its final blank line). Throws on anything else. */
export function parseRequestHead(head: string): TunnelRequest {
  const [requestLine, ...lines] = head.split("\r\n");
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine ?? "");
  if (!m) throw new Error(`not an HTTP/1.1 request line: ${JSON.stringify((requestLine ?? "").slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`not an HTTP header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { method: m[1]!, path: m[2]!, headers };
}

/** The 101 head written back to the http client: the API server's headers, with the upgrade's own two. */
export function switchingProtocolsHead(headers: Headers): Buffer {
  const lines = ["HTTP/1.1 101 Switching Protocols", "Connection: Upgrade"];
  let upgrade = "websocket";
  headers.forEach((value, name) => {
    if (name === "connection" || name === "content-length" || name === "transfer-encoding") return;
    if (name === "upgrade") upgrade = value;
    else lines.push(`${name}: ${value}`);
  });
  lines.push(`Upgrade: ${upgrade}`, "", "");
  return Buffer.from(lines.join("\r\n"), "latin1");
}

export class TunnelConnection extends Duplex {
  /** Why the upgrade did not happen (an UpstreamStatusError with the cluster's words, a TunnelError…). */
  failure: Error | null = null;
  private head: Buffer = Buffer.alloc(0);
  private opening = false;
  private early: Buffer[] = [];
  private endAfterOpen = false;
  private upstream: Duplex | null = null;

  constructor(private readonly open: OpenUpgrade) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.upstream) {
      if (this.upstream.write(chunk)) done();
      else this.upstream.once("drain", () => done());
      return;
    }
    if (this.opening) {
      this.early.push(chunk);
      done();
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf("\r\n\r\n");
    if (end < 0) {
      done(this.head.length > MAX_HEAD_BYTES ? new Error("the request head is too large") : null);
      return;
    }
    let req: TunnelRequest;
    try {
      req = parseRequestHead(this.head.subarray(0, end).toString("latin1"));
    } catch (e) {
      done(e as Error);
      return;
    }
    const rest = this.head.subarray(end + 4);
    if (rest.length) this.early.push(rest);
    this.opening = true;
    this.open(req).then(
      ({ headers, socket }) => this.switched(headers, socket),
      (e: unknown) => {
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.destroy(this.failure);
      },
    );
    done();
  }

  private switched(headers: Headers, socket: Duplex): void {
    if (this.destroyed) {
      socket.destroy();
      return;
    }
    this.upstream = socket;
    this.push(switchingProtocolsHead(headers));
    for (const b of this.early.splice(0)) socket.write(b);
    if (this.endAfterOpen) socket.end();
    socket.on("data", (d: Buffer) => {
      if (!this.push(d)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("error", (e: Error) => this.destroy(e));
    socket.on("close", () => {
      if (!this.destroyed && !this.readableEnded) this.destroy();
    });
  }

  override _read(): void {
    this.upstream?.resume();
  }

  override _final(done: (e?: Error | null) => void): void {
    if (this.upstream) this.upstream.end();
    else this.endAfterOpen = true;
    done();
  }

  override _destroy(err: Error | null, done: (e?: Error | null) => void): void {
    this.upstream?.destroy();
    done(err);
  }
}
