// Starts kas: the agent API (agents dial in), the internal API (web calls in) and the observability
// endpoint (/metrics, /healthz, /readyz). Returns a handle that drains and stops everything.
import fs from "node:fs";
import http from "node:http";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { readSharedSecret } from "../lib/common/internal-jwt";
import { AgentApiServiceService } from "../proto/gen/tether/v1/agent_api";
import { InternalService, TunnelService } from "../lib/common/chunk-codec";
import { ConnectedTokens, agentApiHandlers, tunnelHandlers } from "./agent-api/server";
import type { KasConfig } from "./config";
import { internalHandlers } from "./internal-api/server";
import { createK8sProxy } from "./k8s-proxy/server";
import { createKasMetrics } from "./metrics";
import { MemoryTunnelRegistry } from "./tunnel/registry";
import { WebApi } from "./web-api";

export interface RunningKas {
  agentPort: number;
  internalPort: number;
  observabilityPort: number;
  k8sProxyPort: number;
  registry: MemoryTunnelRegistry;
  stop(): Promise<void>;
}

function bind(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, creds, (err, port) => (err ? reject(new Error(`kas cannot listen on ${address}: ${err.message}`)) : resolve(port))));
}

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

/** HTTP/2 receive windows for kas's servers. With Node's 64 KiB defaults a tunnel stream moves only
 * two 32 KiB chunks per round trip. grpc-js has a client option for this ('grpc-node.flow_control_window')
 * but none for servers, so it is applied here to grpc-js's internals: the settings it passes to Node's
 * http2 server (per-stream window; the object exists because grpc.max_concurrent_streams is given) and
 * each new session (connection window). bench/tunnel shows the effect. */
export const RECEIVE_WINDOW_BYTES = 8 * 1024 * 1024;
function widenStreamWindow(server: Server): void {
  const opts = (server as unknown as { commonServerOptions?: { settings?: Record<string, number> } }).commonServerOptions;
  if (opts?.settings) opts.settings.initialWindowSize = RECEIVE_WINDOW_BYTES;
}
function widenSessionWindows(server: Server): void {
  const servers = (server as unknown as { http2Servers?: Map<import("node:http2").Http2Server, unknown> }).http2Servers;
  for (const h of servers?.keys() ?? []) {
    h.on("session", (session: import("node:http2").ServerHttp2Session) => {
      session.once("localSettings", () => session.setLocalWindowSize(RECEIVE_WINDOW_BYTES));
    });
  }
}

export async function startKas(config: KasConfig, log: Logger): Promise<RunningKas> {
  const secret = readSharedSecret(config.TETHER_KAS_SHARED_SECRET_FILE);
  const metrics = createKasMetrics();
  const registry = new MemoryTunnelRegistry(config.TETHER_KAS_MAX_STREAMS_PER_AGENT, metrics);
  const web = new WebApi(config.TETHER_WEB_URL, secret, config.TETHER_KAS_TOKEN_CACHE_MS, config.TETHER_KAS_ID);
  const tokens = new ConnectedTokens();
  const deps = { config, registry, web, log, metrics };

  const agentServer = new Server({
    "grpc.max_connection_age_ms": config.TETHER_KAS_MAX_CONNECTION_AGE_MS,
    "grpc.max_connection_age_grace_ms": config.TETHER_KAS_MAX_CONNECTION_AGE_GRACE_MS,
    "grpc.keepalive_time_ms": config.TETHER_KAS_KEEPALIVE_MS,
    "grpc.keepalive_timeout_ms": Math.max(5_000, Math.floor(config.TETHER_KAS_KEEPALIVE_MS / 2)),
    "grpc.http2.min_ping_interval_without_data_ms": 5_000,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.max_receive_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_concurrent_streams": 4 * config.TETHER_KAS_MAX_STREAMS_PER_AGENT,
  });
  widenStreamWindow(agentServer);
  agentServer.addService(AgentApiServiceService, agentApiHandlers(deps, tokens));
  agentServer.addService(TunnelService, tunnelHandlers(deps, tokens));
  const agentCreds =
    config.TETHER_KAS_TLS_CERT_FILE && config.TETHER_KAS_TLS_KEY_FILE
      ? ServerCredentials.createSsl(null, [{ cert_chain: fs.readFileSync(config.TETHER_KAS_TLS_CERT_FILE), private_key: fs.readFileSync(config.TETHER_KAS_TLS_KEY_FILE) }], false)
      : ServerCredentials.createInsecure();
  const agentPort = await bind(agentServer, config.TETHER_KAS_AGENT_ADDRESS, agentCreds);
  widenSessionWindows(agentServer);

  const internalServer = new Server({
    "grpc.max_receive_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_concurrent_streams": 100_000,
  });
  widenStreamWindow(internalServer);
  internalServer.addService(InternalService, internalHandlers({ config, registry, secret, log, metrics }));
  const internalPort = await bind(internalServer, config.TETHER_KAS_INTERNAL_ADDRESS, ServerCredentials.createInsecure());
  widenSessionWindows(internalServer);

  let ready = true;
  const observability = http.createServer((req, res) => {
    if (req.url === "/metrics") {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    } else if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (req.url === "/readyz") {
      res.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "ready\n" : "shutting down\n");
    } else {
      res.writeHead(404).end();
    }
  });
  const [obsHost, obsPort] = splitHostPort(config.TETHER_KAS_OBSERVABILITY_ADDRESS);
  await new Promise<void>((resolve, reject) => {
    observability.once("error", (e) => reject(new Error(`kas cannot listen on ${config.TETHER_KAS_OBSERVABILITY_ADDRESS}: ${e.message}`)));
    observability.listen(obsPort, obsHost, () => resolve());
  });
  const observabilityPort = (observability.address() as { port: number }).port;

  const certFile = config.TETHER_KAS_K8S_PROXY_TLS_CERT_FILE ?? config.TETHER_KAS_TLS_CERT_FILE;
  const keyFile = config.TETHER_KAS_K8S_PROXY_TLS_KEY_FILE ?? config.TETHER_KAS_TLS_KEY_FILE;
  const tls = certFile && keyFile ? { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } : undefined;
  if (!tls) log.warn("the Kubernetes API proxy runs without TLS: kubectl will not send tokens to it (set TETHER_KAS_K8S_PROXY_TLS_CERT_FILE and _KEY_FILE)");
  const proxy = createK8sProxy({ registry, web, log, metrics, agentWaitMs: config.TETHER_KAS_AGENT_WAIT_MS }, tls);
  const k8sProxy = proxy.server;
  const [proxyHost, proxyPort] = splitHostPort(config.TETHER_KAS_K8S_PROXY_ADDRESS);
  await new Promise<void>((resolve, reject) => {
    k8sProxy.once("error", (e) => reject(new Error(`kas cannot listen on ${config.TETHER_KAS_K8S_PROXY_ADDRESS}: ${e.message}`)));
    k8sProxy.listen(proxyPort, proxyHost, () => resolve());
  });
  const k8sProxyPort = (k8sProxy.address() as { port: number }).port;

  const recheck = setInterval(() => void tokens.recheck(deps).catch((e: Error) => log.error({ err: e.message }, "token re-check failed")), config.TETHER_KAS_TOKEN_RECHECK_MS);

  log.info({ kasId: config.TETHER_KAS_ID, agentPort, internalPort, observabilityPort, k8sProxyPort, tls: Boolean(tls) }, "kas listening");
  return {
    agentPort,
    internalPort,
    observabilityPort,
    k8sProxyPort,
    registry,
    async stop() {
      ready = false;
      clearInterval(recheck);
      const shutdown = (s: Server) => new Promise<void>((resolve) => s.tryShutdown(() => resolve()));
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
      // Idle tunnel streams never end on their own: close them so that a graceful shutdown can finish.
      for (const id of registry.agents()) registry.closeAgent(id, 14 /* UNAVAILABLE */, "kas is shutting down");
      await Promise.race([Promise.all([shutdown(agentServer), shutdown(internalServer)]), deadline]);
      agentServer.forceShutdown();
      internalServer.forceShutdown();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => k8sProxy.close(() => resolve()));
      await new Promise<void>((resolve) => observability.close(() => resolve()));
    },
  };
}
