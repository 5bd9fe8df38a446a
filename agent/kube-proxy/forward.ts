// Sends one tunnelled request to the Kubernetes API server with the agent's own credentials, plus the
// impersonation that kas put in the request metadata (never a caller's own Impersonate-* headers).
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import type { Duplex, Readable } from "node:stream";
import type { KubeConfig } from "@kubernetes/client-node";
import { isDroppedRequestHeader, isHopByHopHeader } from "../../lib/common/tunnel-wire";
import type { HeaderField, Impersonation, RequestHeader } from "../../proto/gen/tether/v1/tunnel";

/** The API server's answer, whichever HTTP version carried it. */
export interface UpstreamResponse {
  status: number;
  headers: HeaderField[];
  /** Content-Length, when the server sent one. */
  length: number | undefined;
  body: Readable;
}

/** One request to the API server: its body is written here, its answer arrives through onResponse. */
export interface UpstreamRequest {
  write(chunk: Buffer): boolean;
  once(event: "drain", fn: () => void): void;
  end(): void;
  /** Aborts the request and its answer. */
  destroy(): void;
  onResponse(fn: (res: UpstreamResponse) => void): void;
  onError(fn: (e: Error) => void): void;
  /** A connection upgrade (HTTP/1.1 only): the switched socket and any bytes already read. */
  onUpgrade(fn: (res: UpstreamResponse, socket: Duplex, head: Buffer) => void): void;
}

/** HTTP/1.1, for connection upgrades (exec, attach, port-forward) and for servers without HTTP/2. */
class H1Request implements UpstreamRequest {
  constructor(private readonly req: http.ClientRequest) {}
  write(chunk: Buffer): boolean {
    return this.req.write(chunk);
  }
  once(event: "drain", fn: () => void): void {
    this.req.once(event, fn);
  }
  end(): void {
    this.req.end();
  }
  destroy(): void {
    this.req.destroy();
  }
  private static response(res: http.IncomingMessage): UpstreamResponse {
    const length = Number(res.headers["content-length"] ?? Number.NaN);
    return {
      status: res.statusCode ?? 502,
      headers: responseHeaders(res.headers),
      length: Number.isFinite(length) ? length : undefined,
      body: res,
    };
  }
  onResponse(fn: (res: UpstreamResponse) => void): void {
    this.req.on("response", (res: http.IncomingMessage) => fn(H1Request.response(res)));
  }
  onError(fn: (e: Error) => void): void {
    this.req.on("error", fn);
  }
  onUpgrade(fn: (res: UpstreamResponse, socket: Duplex, head: Buffer) => void): void {
    this.req.on("upgrade", (res: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const r = H1Request.response(res);
      r.headers.push({ name: "upgrade", values: [res.headers.upgrade ?? ""] });
      fn(r, socket, head);
    });
  }
}

/** One stream on a shared HTTP/2 connection. */
class H2Request implements UpstreamRequest {
  constructor(private readonly stream: http2.ClientHttp2Stream) {}
  write(chunk: Buffer): boolean {
    return this.stream.write(chunk);
  }
  once(event: "drain", fn: () => void): void {
    this.stream.once(event, fn);
  }
  end(): void {
    this.stream.end();
  }
  destroy(): void {
    if (!this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_CANCEL);
  }
  onResponse(fn: (res: UpstreamResponse) => void): void {
    this.stream.on("response", (h: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader) => {
      const length = Number(h["content-length"] ?? Number.NaN);
      fn({
        status: Number(h[":status"] ?? 502),
        headers: responseHeaders(h),
        length: Number.isFinite(length) ? length : undefined,
        body: this.stream,
      });
    });
  }
  onError(fn: (e: Error) => void): void {
    this.stream.on("error", fn);
    // A stream reset by the server (or a connection that went away) without an error event.
    this.stream.on("close", () => {
      const code = this.stream.rstCode;
      if (
        code !== undefined &&
        code !== http2.constants.NGHTTP2_NO_ERROR &&
        code !== http2.constants.NGHTTP2_CANCEL &&
        !this.stream.errored
      )
        fn(new Error(`HTTP/2 stream reset (code ${code})`));
    });
  }
  onUpgrade(): void {
    // Upgrades always travel over HTTP/1.1.
  }
}

/** The TLS alert a server without HTTP/2 answers an h2-only offer with. */
const NO_HTTP2 = "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL";

/** HTTP/2 headers may not carry connection-specific fields (RFC 9113 §8.2.2). */
const NOT_IN_HTTP2 = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "host",
]);

interface Session {
  session: http2.ClientHttp2Session;
  active: number;
}

/**
 * Requests to the API server share a few HTTP/2 connections (as kubectl and client-go do): one TLS
 * connection carries many requests, its writes are batched, and the server answers them on the same
 * socket. A new connection opens when the others carry as many streams as the server allows.
 */
class H2Sessions {
  private sessions: Session[] = [];
  /** Set when the server does not speak HTTP/2: every request then uses HTTP/1.1. */
  unsupported = false;

  constructor(
    private readonly base: URL,
    private readonly tls: http2.SecureClientSessionOptions,
  ) {}

  private connect(): Session {
    const session = http2.connect(this.base.origin, {
      ...this.tls,
      // Large frames and windows: a big LIST arrives in few frames and never waits for window updates.
      settings: { maxFrameSize: 256 * 1024, initialWindowSize: 4 * 1024 * 1024, enablePush: false },
    });
    const entry: Session = { session, active: 0 };
    session.on("connect", () => {
      // A TLS server that did not agree to "h2" (another protocol, or no ALPN at all) cannot be spoken HTTP/2 to.
      if (session.alpnProtocol !== "h2") {
        this.unsupported = true;
        session.destroy();
        return;
      }
      session.setLocalWindowSize(32 * 1024 * 1024);
    });
    const drop = () => {
      this.sessions = this.sessions.filter((s) => s !== entry);
    };
    session.on("close", drop);
    session.on("goaway", drop);
    session.on("error", (e: Error & { code?: string }) => {
      drop();
      if (e.code === NO_HTTP2) this.unsupported = true;
    });
    // Idle connections close after a minute; a quiet watch keeps its connection.
    session.setTimeout(60_000, () => {
      if (entry.active === 0) session.close();
    });
    session.unref();
    this.sessions.push(entry);
    return entry;
  }

  /**
   * Opens the first connection and learns whether the server speaks HTTP/2 (an API server does; a
   * proxy in front of it may not). An unreachable server is assumed to, until it answers otherwise.
   */
  probe(timeoutMs: number): Promise<void> {
    const { session } = this.connect();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      session.once("connect", done);
      session.once("error", done);
    });
  }

  stream(headers: http2.OutgoingHttpHeaders, endStream: boolean): http2.ClientHttp2Stream {
    let entry: Session | undefined;
    for (const s of this.sessions) {
      const limit = s.session.remoteSettings?.maxConcurrentStreams ?? 100;
      if (
        !s.session.closed &&
        !s.session.destroyed &&
        s.active < Math.min(limit, 1000) &&
        (!entry || s.active < entry.active)
      )
        entry = s;
    }
    entry ??= this.connect();
    const e = entry;
    const stream = e.session.request(headers, { endStream });
    e.active++;
    if (e.active === 1) e.session.ref();
    stream.once("close", () => {
      e.active--;
      if (e.active === 0) e.session.unref();
    });
    return stream;
  }

  close(): void {
    for (const s of this.sessions) s.session.close();
  }
}

export class KubeApi {
  private readonly agent: https.Agent | http.Agent;
  private readonly base: URL;
  private readonly h2: H2Sessions | null;
  /** Credentials from the kubeconfig or service account (Authorization), added to every request. */
  private credentialHeaders: Record<string, string>;
  private refreshTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly kc: KubeConfig,
    private readonly tls: https.RequestOptions,
    http2Enabled: boolean,
  ) {
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig has no current cluster");
    this.base = new URL(server);
    // Credentials travel as headers (refreshed); the rest are connection options.
    const rest: https.RequestOptions = { ...tls };
    delete rest.headers;
    delete rest.auth;
    this.credentialHeaders = KubeApi.credentials(tls);
    // PEM text, not Buffers: the agent's pool key is built from them on every request, and a Buffer
    // would be decoded each time.
    const pem = (v: unknown) => (Buffer.isBuffer(v) ? v.toString("utf8") : v);
    const connection = { ...rest, ca: pem(rest.ca), cert: pem(rest.cert), key: pem(rest.key) } as https.RequestOptions;
    this.tls = connection;
    this.agent =
      this.base.protocol === "https:"
        ? new https.Agent({ keepAlive: true, maxSockets: Infinity })
        : new http.Agent({ keepAlive: true });
    this.h2 =
      http2Enabled && this.base.protocol === "https:"
        ? new H2Sessions(this.base, connection as http2.SecureClientSessionOptions)
        : null;
  }

  private static credentials(o: https.RequestOptions): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((o.headers ?? {}) as Record<string, string>)) out[k.toLowerCase()] = v;
    if (o.auth) out.authorization = `Basic ${Buffer.from(o.auth).toString("base64")}`;
    return out;
  }

  /**
   * `http2`: ordinary requests share HTTP/2 connections when the server offers it (upgrades always use
   * HTTP/1.1). `refreshCredentialsMs`: how often the credentials are read again (a service account's
   * token file is rotated by the kubelet; an exec plugin's token expires), 30 s by default.
   */
  static async create(kc: KubeConfig, opts: { http2?: boolean; refreshCredentialsMs?: number } = {}): Promise<KubeApi> {
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const api = new KubeApi(kc, tls, opts.http2 ?? true);
    await api.h2?.probe(5_000);
    api.refreshTimer = setInterval(
      () => void api.refreshCredentials().catch(() => undefined),
      opts.refreshCredentialsMs ?? 30_000,
    );
    api.refreshTimer.unref();
    return api;
  }

  /** Reads the credentials again (the client library re-reads a token file once it is a minute old); on failure the previous ones stay. */
  async refreshCredentials(): Promise<void> {
    const o: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(o);
    this.credentialHeaders = KubeApi.credentials(o);
  }

  get server(): string {
    return this.base.toString();
  }

  /** "HTTP/2" or "HTTP/1.1": how ordinary requests reach the API server. */
  get protocol(): string {
    return this.h2 && !this.h2.unsupported ? "HTTP/2" : "HTTP/1.1";
  }

  /** Starts a request; the caller writes the body (unless the header says there is none) and handles the answer. */
  request(header: RequestHeader): UpstreamRequest {
    const headers = upstreamHeaders(header.headers, header.impersonation);
    Object.assign(headers, this.credentialHeaders);
    const upgrade = headers.upgrade !== undefined;
    if (this.h2 && !this.h2.unsupported && !upgrade) {
      const h2headers: http2.OutgoingHttpHeaders = {
        ":method": header.method,
        ":path": header.path,
        ":authority": this.base.host,
      };
      for (const [k, v] of Object.entries(headers)) if (!NOT_IN_HTTP2.has(k)) h2headers[k] = v;
      return new H2Request(this.h2.stream(h2headers, header.noBody));
    }
    const url = new URL(header.path, this.base);
    const opts: https.RequestOptions = {
      ...this.tls,
      method: header.method,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers,
      agent: this.agent,
    };
    const req = new H1Request(this.base.protocol === "https:" ? https.request(opts) : http.request(opts));
    if (header.noBody && !upgrade) req.end();
    return req;
  }

  close(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.h2?.close();
    this.agent.destroy();
  }
}

export function upstreamHeaders(
  fields: HeaderField[],
  imp: Impersonation | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const f of fields) {
    if (isDroppedRequestHeader(f.name)) continue;
    out[f.name.toLowerCase()] = f.values.length === 1 ? f.values[0]! : f.values;
  }
  // A connection upgrade (exec, attach, port-forward): the protocol kas passed on, and the Connection
  // header that goes with it on this hop.
  const upgrade = fields.find((f) => f.name.toLowerCase() === "upgrade")?.values[0];
  if (upgrade) {
    out.upgrade = upgrade;
    out.connection = "Upgrade";
  }
  if (imp && imp.user) {
    out["impersonate-user"] = imp.user;
    if (imp.groups.length) out["impersonate-group"] = imp.groups;
    if (imp.uid) out["impersonate-uid"] = imp.uid;
    for (const [k, v] of Object.entries(imp.extra)) out[`impersonate-extra-${encodeURIComponent(k)}`] = v.values;
  }
  return out;
}

export function responseHeaders(headers: http.IncomingHttpHeaders | http2.IncomingHttpHeaders): HeaderField[] {
  const out: HeaderField[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(":") || isHopByHopHeader(name)) continue;
    out.push({ name, values: Array.isArray(value) ? value : [value] });
  }
  return out;
}
