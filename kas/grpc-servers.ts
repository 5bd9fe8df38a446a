// kas's two gRPC servers: the agent server (agents dial in; TLS when configured) and the internal
// server (web dials in). Capabilities add their services; `grpcServers` in kas/server.ts's list binds
// both once they have, and drains them at shutdown.
import fs from "node:fs";
import type { Http2Server, ServerHttp2Session } from "node:http2";
import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import { Server, ServerCredentials } from "@grpc/grpc-js";
// Not part of grpc-js's public API: see frameServerMessagesInPlace.
import { BaseServerInterceptingCall } from "@grpc/grpc-js/build/src/server-interceptors";
import type { KasCapability } from "./capability";
import type { KasConfig } from "./config";
import type { DataChannelHub } from "./tunnel/data-channel";
import { DATA_CHANNEL_MAGIC } from "../lib/common/data-channel-wire";
import { grpcFrame } from "../lib/common/grpc-framing";
import { listenOn } from "../lib/common/listen";
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

interface ServerCallInternals {
  handler: { serialize(value: unknown): Buffer };
  serializeMessage?: (value: unknown) => Buffer;
}
let framingInPlace: boolean | null = null;

/**
 * Makes grpc-js's servers frame each message with lib/common/grpc-framing.ts's grpcFrame, in place for
 * a body message with room in front of it, instead of always copying it into a new frame (process-wide;
 * every kas server is created through here). Returns false, changing nothing, when grpc-js no longer has
 * the method this replaces: messages are then copied as before (kas/server.ts logs it).
 */
export function frameServerMessagesInPlace(): boolean {
  if (framingInPlace !== null) return framingInPlace;
  const proto = BaseServerInterceptingCall.prototype as unknown as ServerCallInternals;
  framingInPlace = typeof proto.serializeMessage === "function" && proto.serializeMessage.length === 1;
  if (framingInPlace)
    proto.serializeMessage = function (this: ServerCallInternals, value: unknown): Buffer {
      return grpcFrame(this.handler.serialize(value));
    };
  return framingInPlace;
}

export function createAgentServer(config: KasConfig): Server {
  frameServerMessagesInPlace();
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
  frameServerMessagesInPlace();
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

/** A connection on the agents' port that says nothing for this long is not an agent. */
const FIRST_BYTES_TIMEOUT_MS = 30_000;

/**
 * The agents' port: gRPC (HTTP/2, TLS when configured) and, beside it on the same port, the agents'
 * data channels (lib/common/data-channel-wire.ts). kas terminates TLS itself and reads a connection's
 * first bytes: the data channel's magic hands it to `channels`, anything else goes to grpc-js (through
 * its connection injector, as plain HTTP/2 on the decrypted socket). One port keeps installs and load
 * balancers as they were; an agent whose channel cannot get through keeps every byte on gRPC.
 */
async function listenForAgents(
  server: Server,
  config: KasConfig,
  channels: DataChannelHub,
): Promise<{ port: number; close(): void }> {
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const route = (socket: net.Socket) => {
    socket.setNoDelay(true);
    const onError = () => socket.destroy();
    socket.on("error", onError);
    const onSilence = () => socket.destroy();
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS);
    socket.once("timeout", onSilence);
    let first: Buffer = Buffer.alloc(0);
    const onData = (b: Buffer) => {
      first = first.length === 0 ? b : Buffer.concat([first, b]);
      const magic = first[0] === DATA_CHANNEL_MAGIC[0];
      if (magic && first.length < DATA_CHANNEL_MAGIC.length) return; // the rest of the magic is on its way
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("timeout", onSilence);
      socket.setTimeout(0);
      socket.pause();
      if (magic) {
        if (!first.subarray(0, DATA_CHANNEL_MAGIC.length).equals(DATA_CHANNEL_MAGIC)) return socket.destroy();
        const rest = first.subarray(DATA_CHANNEL_MAGIC.length);
        if (rest.length > 0) socket.unshift(rest);
        channels.accept(socket);
      } else {
        socket.unshift(first);
        injector.injectConnection(socket);
      }
    };
    socket.on("data", onData);
  };
  const tlsOptions =
    config.TETHER_KAS_TLS_CERT_FILE && config.TETHER_KAS_TLS_KEY_FILE
      ? {
          cert: fs.readFileSync(config.TETHER_KAS_TLS_CERT_FILE),
          key: fs.readFileSync(config.TETHER_KAS_TLS_KEY_FILE),
          ALPNProtocols: ["h2"],
        }
      : null;
  const listener = tlsOptions ? tls.createServer(tlsOptions, route) : net.createServer(route);
  // A client that fails its TLS handshake (a scanner, a wrong CA) is its own problem, not kas's.
  listener.on("tlsClientError", () => undefined);
  let info: AddressInfo;
  try {
    info = await listenOn(listener, config.TETHER_KAS_AGENT_ADDRESS, "kas");
  } catch (e) {
    injector.destroy();
    throw e;
  }
  widenSessionWindows(server);
  return {
    port: info.port,
    close() {
      listener.close();
      injector.destroy();
    },
  };
}

/**
 * Not a capability but the gRPC transport, in the list so that it binds after the capabilities
 * before it have added their services, and drains (5 s at most) before those after it close.
 */
export const grpcServers: KasCapability = {
  name: "grpc",
  async start({ config, agentServer, internalServer, dataChannels }) {
    const agents = await listenForAgents(agentServer, config, dataChannels);
    const agentPort = agents.port;
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
        agents.close();
        await Promise.race([Promise.all([shutdown(agentServer), shutdown(internalServer)]), deadline]);
        agentServer.forceShutdown();
        internalServer.forceShutdown();
      },
    };
  },
};
