// The k8s-proxy: a Kubernetes-API-compatible endpoint for kubectl and CI jobs. The bearer credential
// names the agent (pat:<agent-id>:<token> or ci:<agent-id>:<token>); web authorizes it against the
// agent's configuration; the request then travels through the agent's tunnel with the impersonation
// web decided. Impersonate-* and Authorization headers from the caller never pass. Connection
// upgrades (exec, attach, port-forward) travel the same way and then carry raw bytes both ways.
import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import type { Duplex, Readable } from "node:stream";
import type { Logger } from "pino";
import { isAuditedProxyRequest } from "../../lib/common/kas-web-contract";
import { relayBody } from "../../lib/common/body-relay";
import { isDroppedRequestHeader, isHopByHopHeader } from "../../lib/common/tunnel-wire";
import type { HeaderField, RequestHeader } from "../../proto/gen/tether/v1/tunnel";
import type { KasMetrics } from "../metrics";
import {
  AgentBusyError,
  AgentStreamLimitError,
  NoAgentTunnelError,
  type AgentStream,
  type TunnelRegistry,
} from "../tunnel";
import { RegistryUnavailableError } from "../routing/errors";
import { ProxyRefusedError, type ProxyGrant, type WebApi } from "../web-api";

const REASONS: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  429: "TooManyRequests",
  501: "NotImplemented",
  502: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** Sends the request to web's audit log if the contract's rule keeps it (writes, refusals, pod sessions). */
function audit(deps: Deps, grant: ProxyGrant, method: string, path: string, status: number): void {
  if (!isAuditedProxyRequest(method, path, status)) return;
  deps.web
    .auditProxyRequest({ agentId: grant.agentId, actor: grant.actor, method, path, status })
    .catch((err: Error) => deps.log.warn({ err: err.message }, "could not record a proxy audit event"));
}

/** A Kubernetes Status object, which kubectl prints as a clear error. */
function statusBody(code: number, message: string): string {
  return JSON.stringify({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: REASONS[code] ?? "Failure",
    code,
  });
}

/** Where the agent's answer goes: an HTTP response, or the raw socket of a connection upgrade. */
interface Reply {
  /** A refusal by kas itself (never after header()). */
  refuse(code: number, message: string): void;
  header(status: number, fields: HeaderField[]): void;
  /** false: the client is full; call `onDrain`'s function when it has room. */
  data(chunk: Buffer): boolean;
  onDrain(fn: () => void): void;
  end(): void;
  /** The answer cannot be completed: an error status if nothing was sent yet, else a cut connection. */
  broken(message: string): void;
  onClose(fn: () => void): void;
  offClose(fn: () => void): void;
}

/** An HTTP/1.1 or HTTP/2 response (kubectl speaks HTTP/2 when the server offers it). */
type ServerResponse = http.ServerResponse | http2.Http2ServerResponse;
type ServerRequest = http.IncomingMessage | http2.Http2ServerRequest;

class HttpReply implements Reply {
  private bodyStarted = false;
  constructor(private readonly res: http.ServerResponse) {}
  refuse(code: number, message: string): void {
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    this.res.writeHead(code, { "content-type": "application/json" });
    this.res.end(statusBody(code, message));
  }
  header(status: number, fields: HeaderField[]): void {
    const out: Record<string, string[]> = {};
    for (const f of fields) if (!isHopByHopHeader(f.name)) out[f.name] = f.values;
    this.res.writeHead(status, out);
    // The headers leave with the first body bytes (one write for a small answer); when the body is
    // slow to come (a watch), they leave on the next turn so the client sees the status at once.
    setImmediate(() => {
      if (!this.bodyStarted && !this.res.writableEnded && !this.res.destroyed) this.res.flushHeaders();
    });
  }
  data(chunk: Buffer): boolean {
    this.bodyStarted = true;
    return this.res.write(chunk);
  }
  onDrain(fn: () => void): void {
    this.res.once("drain", fn);
  }
  end(): void {
    this.res.end();
  }
  broken(message: string): void {
    if (this.res.headersSent) this.res.destroy(new Error(message));
    else this.refuse(502, message);
  }
  onClose(fn: () => void): void {
    this.res.on("close", fn);
  }
  offClose(fn: () => void): void {
    this.res.off("close", fn);
  }
}

/**
 * A connection upgrade (kubectl exec, attach, port-forward: WebSocket or SPDY). After the agent's
 * 101 the socket carries raw bytes both ways; any other answer is written as a complete HTTP
 * response and the connection closed.
 */
class UpgradeReply implements Reply {
  private switched = false;
  private plain: { status: number; fields: HeaderField[]; body: Buffer[] } | null = null;
  constructor(private readonly socket: Duplex) {}
  private writeResponse(status: number, fields: HeaderField[], body: Buffer): void {
    if (this.socket.destroyed) return;
    const lines = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}`];
    for (const f of fields) {
      const n = f.name.toLowerCase();
      if (isHopByHopHeader(n) || n === "content-length") continue;
      for (const v of f.values) lines.push(`${f.name}: ${v}`);
    }
    lines.push(`content-length: ${body.length}`, "connection: close", "", "");
    this.socket.end(Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), body]));
  }
  refuse(code: number, message: string): void {
    this.writeResponse(
      code,
      [{ name: "content-type", values: ["application/json"] }],
      Buffer.from(statusBody(code, message)),
    );
  }
  header(status: number, fields: HeaderField[]): void {
    if (status !== 101) {
      this.plain = { status, fields, body: [] };
      return;
    }
    this.switched = true;
    const lines = ["HTTP/1.1 101 Switching Protocols", "connection: Upgrade"];
    for (const f of fields) {
      if (f.name.toLowerCase() === "connection") continue;
      for (const v of f.values) lines.push(`${f.name}: ${v}`);
    }
    lines.push("", "");
    this.socket.write(lines.join("\r\n"), "latin1");
  }
  data(chunk: Buffer): boolean {
    if (this.plain) {
      this.plain.body.push(chunk);
      return true;
    }
    return this.socket.write(chunk);
  }
  onDrain(fn: () => void): void {
    this.socket.once("drain", fn);
  }
  end(): void {
    if (this.plain) this.writeResponse(this.plain.status, this.plain.fields, Buffer.concat(this.plain.body));
    else this.socket.end();
  }
  broken(message: string): void {
    if (this.switched) this.socket.destroy();
    else this.refuse(502, message);
  }
  onClose(fn: () => void): void {
    this.socket.on("close", fn);
  }
  offClose(fn: () => void): void {
    this.socket.off("close", fn);
  }
}

interface Deps {
  registry: TunnelRegistry;
  web: WebApi;
  log: Logger;
  metrics: KasMetrics;
  agentWaitMs: number;
}

export interface K8sProxyServer {
  server: net.Server;
  /** Ends every client connection (kas shutting down). */
  closeAllConnections(): void;
}

export function createK8sProxy(deps: Deps, tls?: { cert: Buffer; key: Buffer }): K8sProxyServer {
  // Http2ServerResponse has every member HttpReply uses (flushHeaders too, though its type omits it).
  const handler = (req: ServerRequest, res: ServerResponse) =>
    void handle(deps, req, new HttpReply(res as http.ServerResponse), req);
  let server: http.Server | http2.Http2SecureServer;
  if (tls) {
    // HTTP/2 for kubectl and client-go (one connection carries all of a client's requests), HTTP/1.1
    // for everyone else and for connection upgrades (exec, attach, port-forward always use HTTP/1.1).
    // No idle timeout: clients close the connections they stop using (client-go after 90 s), and a
    // timer here would also cut a quiet `kubectl get -w`. (Node's https server closed idle keep-alive
    // connections after 5 s, and a client reusing one just then saw "socket hang up".)
    server = http2.createSecureServer(
      { cert: tls.cert, key: tls.key, allowHTTP1: true, settings: { maxConcurrentStreams: 1000 } },
      handler,
    );
  } else {
    server = http.createServer(handler);
    server.keepAliveTimeout = 120_000;
  }
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    if (head.length > 0) socket.unshift(head);
    void handle(deps, req, new UpgradeReply(socket), socket);
  });
  const sockets = new Set<net.Socket>();
  server.on(tls ? "secureConnection" : "connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return {
    server,
    closeAllConnections: () => {
      for (const s of sockets) s.destroy();
    },
  };
}

/** Authorizes the request, finds a tunnel stream to the agent, and forwards; `inbound` is the request body (or, for an upgrade, the client's side of the connection). */
async function handle(deps: Deps, req: ServerRequest, reply: Reply, inbound: Readable): Promise<void> {
  const started = process.hrtime.bigint();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!bearer)
    return reply.refuse(
      401,
      "tether: send a bearer token of the form pat:<agent-id>:<token> or ci:<agent-id>:<token> (see the agent's 'Connect with kubectl' page)",
    );

  let grant: ProxyGrant;
  try {
    grant = await deps.web.authorizeProxy(bearer);
  } catch (e) {
    if (e instanceof ProxyRefusedError) return reply.refuse(e.status, `tether: ${e.message}`);
    deps.log.error({ err: (e as Error).message }, "cannot authorize a proxy request with web");
    return reply.refuse(503, "tether: kas cannot check credentials right now (web unreachable); retry later");
  }

  // One pass over the caller's headers (Node gives their names in lower case): a forged identity, and what passes on.
  const headers: HeaderField[] = [];
  let forged: string | undefined;
  for (const name in req.headers) {
    const value = req.headers[name];
    if (name.startsWith("impersonate-")) forged ??= name;
    // HTTP/2's pseudo-headers (:method, :path, :authority, :scheme) are not headers to pass on.
    if (value === undefined || name.startsWith(":") || isDroppedRequestHeader(name)) continue;
    headers.push({ name, values: Array.isArray(value) ? value : [value] });
  }
  if (forged) {
    audit(deps, grant, req.method ?? "GET", req.url ?? "/", 403);
    return reply.refuse(
      403,
      `tether: the ${forged} header is not allowed; the identity comes from your credential and the agent's configuration (drop --as/--as-group)`,
    );
  }
  // The one hop-by-hop header that must reach the API server: the protocol asked for (the agent adds Connection: Upgrade).
  if (req.headers.upgrade) headers.push({ name: "upgrade", values: [req.headers.upgrade] });
  const header: RequestHeader = {
    requestId: `p-${started}`,
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers,
    impersonation: grant.impersonation
      ? {
          user: grant.impersonation.user,
          groups: grant.impersonation.groups,
          uid: "",
          extra: Object.fromEntries(
            Object.entries(grant.impersonation.extra ?? {}).map(([key, values]) => [key, { values }]),
          ),
        }
      : undefined,
    // HTTP/2: the request ended with its headers. HTTP/1.1: without Content-Length or Transfer-Encoding
    // a request has no body (an upgrade's bytes come later).
    noBody:
      "stream" in req
        ? req.stream.endAfterHeaders
        : !req.headers.upgrade &&
          req.headers["transfer-encoding"] === undefined &&
          (req.headers["content-length"] ?? "0") === "0",
  };

  let stream: AgentStream | null = deps.registry.tryAcquire(grant.agentId);
  if (!stream) {
    // No idle stream right now: wait for one (or for the agent), unless the client gives up first.
    const abort = new AbortController();
    const giveUp = () => abort.abort();
    reply.onClose(giveUp);
    try {
      stream = await deps.registry.acquire(grant.agentId, deps.agentWaitMs, abort.signal);
    } catch (e) {
      if (abort.signal.aborted) {
        deps.metrics.requests.inc({ outcome: "cancelled" });
        return;
      }
      deps.metrics.requests.inc({ outcome: "proxy_unavailable" });
      if (e instanceof AgentStreamLimitError) return reply.refuse(429, `tether: ${e.message}`);
      if (e instanceof AgentBusyError) return reply.refuse(504, `tether: ${e.message}`);
      if (e instanceof RegistryUnavailableError) return reply.refuse(503, `tether: ${e.message}`);
      if (e instanceof NoAgentTunnelError)
        return reply.refuse(
          503,
          `tether: agent "${grant.agentName}" is not connected${e.lastSeenMs ? ` (last seen ${new Date(e.lastSeenMs).toISOString()})` : ""}`,
        );
      throw e;
    } finally {
      reply.offClose(giveUp);
    }
  }
  forward(deps, inbound, reply, grant, header, stream, started);
}

/** Carries the request over `stream` and streams the agent's answer back to the client. */
function forward(
  deps: Deps,
  inbound: Readable,
  reply: Reply,
  grant: ProxyGrant,
  header: RequestHeader,
  stream: AgentStream,
  started: bigint,
): void {
  let statusCode = 0;
  let done = false;
  // Once per request, with the status known by then: at a session's 101, else when the answer ends.
  let audited = false;
  const auditOnce = () => {
    if (audited) return;
    audited = true;
    audit(deps, grant, header.method, header.path, statusCode);
  };
  const finish = (outcome: string) => {
    if (done) return;
    done = true;
    deps.metrics.requests.inc({ outcome });
    deps.metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    auditOnce();
  };
  reply.onClose(() => {
    if (!done) {
      stream.cancel();
      finish("cancelled");
    }
  });

  stream.start(header, {
    onHeader(h) {
      statusCode = h.status;
      reply.header(h.status, h.headers);
      if (h.status === 101) auditOnce(); // a session is recorded when it opens, not when it ends
    },
    onData(data) {
      deps.metrics.bytes.inc({ direction: "response" }, data.length);
      const ok = reply.data(data);
      if (!ok) reply.onDrain(() => stream.resume());
      return ok;
    },
    onTrailer(error) {
      if (error) {
        finish("upstream_error");
        reply.broken(`tether: ${error}`);
        return;
      }
      finish("ok");
      reply.end();
    },
    onBroken(message) {
      finish("tunnel_broken");
      reply.broken(`tether: ${message}`);
    },
  });
  // A request without a body (its header said so: most reads) has nothing to relay and no end-of-request to send.
  if (header.noBody) return;
  inbound.on("data", (chunk: Buffer) => deps.metrics.bytes.inc({ direction: "request" }, chunk.length));
  // Bytes that arrive once the answer is over (the API server answered early, e.g. 413) are dropped: the stream may already carry the next request.
  relayBody(
    inbound,
    { send: (data, written) => stream.sendData(data, written), onceDrain: (fn) => stream.onceDrain(fn) },
    {
      current: () => !done,
      onEnd: () => stream.endRequest(),
      observe: (n) => deps.metrics.bodyMessageBytes.observe({ direction: "request" }, n),
    },
  );
}
