// The k8s-proxy: a Kubernetes-API-compatible endpoint for kubectl and CI jobs. The bearer credential
// names the agent (pat:<agent-id>:<token> or ci:<agent-id>:<token>); web authorizes it against the
// agent's configuration; the request then travels through the agent's tunnel with the impersonation
// web decided. Impersonate-* and Authorization headers from the caller never pass.
import http from "node:http";
import https from "node:https";
import type { Logger } from "pino";
import { chunks, isDroppedRequestHeader, isHopByHopHeader } from "../../lib/common/tunnel-errors";
import type { HeaderField, RequestHeader } from "../../proto/gen/tether/v1/tunnel";
import type { KasMetrics } from "../metrics";
import { AgentBusyError, AgentNotConnectedError, StreamLimitError, type TunnelRegistry } from "../tunnel/registry";
import type { TunnelStream } from "../tunnel/stream";
import { ProxyRefusedError, type ProxyGrant, type WebApi } from "../web-api";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A Kubernetes Status object, which kubectl prints as a clear error. */
function status(res: http.ServerResponse, code: number, reason: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
}

const REASONS: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 429: "TooManyRequests", 503: "ServiceUnavailable", 504: "Timeout" };

interface Deps {
  registry: TunnelRegistry;
  web: WebApi;
  log: Logger;
  metrics: KasMetrics;
  agentWaitMs: number;
}

export function createK8sProxy(deps: Deps, tls?: { cert: Buffer; key: Buffer }): http.Server {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void handle(deps, req, res);
  return tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
}

async function handle(deps: Deps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!bearer) return status(res, 401, "Unauthorized", "tether: send a bearer token of the form pat:<agent-id>:<token> or ci:<agent-id>:<token> (see the agent's 'Connect with kubectl' page)");
  if (req.headers.upgrade) return status(res, 501, "NotImplemented", "tether: connection upgrades (exec, attach, port-forward) are not supported through the proxy yet");

  let grant;
  try {
    grant = await deps.web.authorizeProxy(bearer);
  } catch (e) {
    if (e instanceof ProxyRefusedError) return status(res, e.status, REASONS[e.status] ?? "Failure", `tether: ${e.message}`);
    deps.log.error({ err: (e as Error).message }, "cannot authorize a proxy request with web");
    return status(res, 503, "ServiceUnavailable", "tether: kas cannot check credentials right now (web unreachable); retry later");
  }

  const forged = Object.keys(req.headers).find((h) => h.toLowerCase().startsWith("impersonate-"));
  if (forged) {
    deps.web.auditProxyRequest({ agentId: grant.agentId, actor: grant.actor, method: req.method ?? "GET", path: req.url ?? "/", status: 403 }).catch(() => undefined);
    return status(res, 403, "Forbidden", `tether: the ${forged} header is not allowed; the identity comes from your credential and the agent's configuration (drop --as/--as-group)`);
  }

  const headers: HeaderField[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || isDroppedRequestHeader(name)) continue;
    headers.push({ name, values: Array.isArray(value) ? value : [value] });
  }
  const header: RequestHeader = {
    requestId: `p-${started}`,
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers,
    impersonation: grant.impersonation ? { user: grant.impersonation.user, groups: grant.impersonation.groups, uid: "", extra: {} } : undefined,
  };

  let stream = deps.registry.tryAcquire(grant.agentId);
  if (!stream) {
    // No idle stream right now: wait for one (or for the agent), unless the client gives up first.
    const abort = new AbortController();
    const giveUp = () => abort.abort();
    res.once("close", giveUp);
    try {
      stream = await deps.registry.acquire(grant.agentId, deps.agentWaitMs, abort.signal);
    } catch (e) {
      if (abort.signal.aborted) {
        deps.metrics.requests.inc({ outcome: "cancelled" });
        return;
      }
      deps.metrics.requests.inc({ outcome: "proxy_unavailable" });
      if (e instanceof StreamLimitError) return status(res, 429, "TooManyRequests", `tether: ${e.message}`);
      if (e instanceof AgentBusyError) return status(res, 504, "Timeout", `tether: ${e.message}`);
      if (e instanceof AgentNotConnectedError) return status(res, 503, "ServiceUnavailable", `tether: agent "${grant.agentName}" is not connected${e.lastSeenMs ? ` (last seen ${new Date(e.lastSeenMs).toISOString()})` : ""}`);
      throw e;
    } finally {
      res.off("close", giveUp);
    }
  }
  forward(deps, req, res, grant, header, stream, started);
}

/** Carries the request over `stream` and streams the agent's answer back to the client. */
function forward(deps: Deps, req: http.IncomingMessage, res: http.ServerResponse, grant: ProxyGrant, header: RequestHeader, stream: TunnelStream, started: bigint): void {
  let statusCode = 0;
  let bodyStarted = false;
  let done = false;
  const finish = (outcome: string) => {
    if (done) return;
    done = true;
    deps.metrics.requests.inc({ outcome });
    deps.metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (MUTATING.has(header.method)) {
      deps.web.auditProxyRequest({ agentId: grant.agentId, actor: grant.actor, method: header.method, path: header.path, status: statusCode }).catch((err: Error) => deps.log.warn({ err: err.message }, "could not record a proxy audit event"));
    }
  };
  res.on("close", () => {
    if (!done) {
      stream.cancel();
      finish("cancelled");
    }
  });

  stream.start(header, {
    onHeader(h) {
      statusCode = h.status;
      const out: Record<string, string[]> = {};
      for (const f of h.headers) if (!isHopByHopHeader(f.name)) out[f.name] = f.values;
      res.writeHead(h.status, out);
      // The headers leave with the first body bytes (one write for a small answer); when the body is
      // slow to come (a watch), they leave on the next turn so the client sees the status at once.
      setImmediate(() => {
        if (!bodyStarted && !res.writableEnded && !res.destroyed) res.flushHeaders();
      });
    },
    onData(data) {
      bodyStarted = true;
      deps.metrics.bytes.inc({ direction: "response" }, data.length);
      const ok = res.write(data);
      if (!ok) res.once("drain", () => stream.resume());
      return ok;
    },
    onTrailer(error) {
      if (error) {
        finish("upstream_error");
        if (statusCode === 0) status(res, 502, "InternalError", `tether: ${error}`);
        else res.destroy(new Error(error));
        return;
      }
      finish("ok");
      res.end();
    },
    onBroken(message) {
      finish("tunnel_broken");
      status(res, 502, "InternalError", `tether: ${message}`);
    },
  });
  req.on("data", (chunk: Buffer) => {
    deps.metrics.bytes.inc({ direction: "request" }, chunk.length);
    let ok = true;
    for (const piece of chunks(chunk)) ok = stream.sendData(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)) && ok;
    if (!ok) {
      req.pause();
      stream.onceDrain(() => req.resume());
    }
  });
  req.on("end", () => stream.endRequest());
}
