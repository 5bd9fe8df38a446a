// kas's two gRPC servers: the agent server (agents dial in; TLS when configured) and the internal
// server (web dials in). Capabilities add their services; `grpcServers` in kas/server.ts's list binds
// both once they have, and drains them at shutdown.
import fs from "node:fs";
import type { Http2Server, ServerHttp2Session } from "node:http2";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import type { KasCapability } from "./capability";
import type { KasConfig } from "./config";
import { RECEIVE_WINDOW_BYTES } from "../lib/common/tunnel-wire";

/** kas's servers advertise RECEIVE_WINDOW_BYTES as their HTTP/2 receive windows. grpc-js has a client
 * option for this ('grpc-node.flow_control_window', which the agent and web set) but none for servers,
 * so it is applied here to grpc-js's internals: the settings it passes to Node's http2 server
 * (per-stream window; the object exists because grpc.max_concurrent_streams is given) and each new
 * session (connection window). grpc-servers.test.ts reads the windows a client is offered. */
function widenStreamWindow(server: Server): void {
  const opts = (server as unknown as { commonServerOptions?: { settings?: Record<string, number> } })
    .commonServerOptions;
  if (opts?.settings) opts.settings.initialWindowSize = RECEIVE_WINDOW_BYTES;
}
function widenSessionWindows(server: Server): void {
  const servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  for (const h of servers?.keys() ?? []) {
    h.on("session", (session: ServerHttp2Session) => {
      session.once("localSettings", () => session.setLocalWindowSize(RECEIVE_WINDOW_BYTES));
    });
  }
}

export function createAgentServer(config: KasConfig): Server {
  const server = new Server({
    "grpc.max_connection_age_ms": config.TETHER_KAS_MAX_CONNECTION_AGE_MS,
    "grpc.max_connection_age_grace_ms": config.TETHER_KAS_MAX_CONNECTION_AGE_GRACE_MS,
    "grpc.keepalive_time_ms": config.TETHER_KAS_KEEPALIVE_MS,
    "grpc.keepalive_timeout_ms": Math.max(5_000, Math.floor(config.TETHER_KAS_KEEPALIVE_MS / 2)),
    "grpc.http2.min_ping_interval_without_data_ms": 5_000,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.max_receive_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_concurrent_streams": 4 * config.TETHER_KAS_MAX_STREAMS_PER_AGENT,
    // grpc-js's channelz bookkeeping (per call and per connection) serves a channelz admin service that kas
    // does not offer; with a thousand agents' heartbeats, polls and pings it is work for nobody.
    "grpc.enable_channelz": 0,
  });
  widenStreamWindow(server);
  return server;
}

export function createInternalServer(config: KasConfig): Server {
  const server = new Server({
    "grpc.max_receive_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": config.TETHER_KAS_MAX_MESSAGE_BYTES,
    "grpc.max_concurrent_streams": 100_000,
    "grpc.enable_channelz": 0,
  });
  widenStreamWindow(server);
  return server;
}

async function bind(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, creds, (err, p) =>
      err ? reject(new Error(`kas cannot listen on ${address}: ${err.message}`)) : resolve(p),
    ),
  );
  widenSessionWindows(server);
  return port;
}

/**
 * Not a capability but the gRPC transport, in the list so that it binds after the capabilities
 * before it have added their services, and drains (5 s at most) before those after it close.
 */
export const grpcServers: KasCapability = {
  name: "grpc",
  async start({ config, agentServer, internalServer }) {
    const agentCreds =
      config.TETHER_KAS_TLS_CERT_FILE && config.TETHER_KAS_TLS_KEY_FILE
        ? ServerCredentials.createSsl(
            null,
            [
              {
                cert_chain: fs.readFileSync(config.TETHER_KAS_TLS_CERT_FILE),
                private_key: fs.readFileSync(config.TETHER_KAS_TLS_KEY_FILE),
              },
            ],
            false,
          )
        : ServerCredentials.createInsecure();
    const agentPort = await bind(agentServer, config.TETHER_KAS_AGENT_ADDRESS, agentCreds);
    const internalPort = await bind(
      internalServer,
      config.TETHER_KAS_INTERNAL_ADDRESS,
      ServerCredentials.createInsecure(),
    );
    return {
      report: { agentPort, internalPort },
      async stop() {
        const shutdown = (s: Server) => new Promise<void>((resolve) => s.tryShutdown(() => resolve()));
        const deadline = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
        await Promise.race([Promise.all([shutdown(agentServer), shutdown(internalServer)]), deadline]);
        agentServer.forceShutdown();
        internalServer.forceShutdown();
      },
    };
  },
};
