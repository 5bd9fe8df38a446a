// The agent's way to kas: one address, one set of channel settings and the agent's token, shared by
// every capability's gRPC client (grpc-js then shares the connection itself between them).
import fs from "node:fs";
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { credentials, Metadata, type ChannelCredentials, type Client, type ClientOptions } from "@grpc/grpc-js";
import { RECEIVE_WINDOW_BYTES } from "../lib/common/tunnel-wire";
import type { AgentConfig } from "./config";

export interface KasConnection {
  /** kas's address as configured (grpc[s]://host:port), for messages. */
  address: string;
  /** A client of one of kas's services (a generated client class); close() closes it. */
  client<C extends Client>(
    service: new (address: string, creds: ChannelCredentials, options?: Partial<ClientOptions>) => C,
  ): C;
  /** Call metadata carrying the agent's token. */
  metadata(): Metadata;
  /** Closes every client made here. */
  close(): void;
  /** Opens a data channel connection to kas's agent port, as the gRPC connection reaches it; absent for a receptive agent. */
  dialDataChannel?: () => Duplex;
}

export function readToken(file: string): string {
  let token: string;
  try {
    token = fs.readFileSync(file, "utf8").trim();
  } catch (e) {
    throw new Error(`cannot read the agent token from ${file}: ${(e as Error).message}`);
  }
  if (!token) throw new Error(`the agent token file ${file} is empty`);
  return token;
}

/**
 * `receptiveTarget`: a receptive agent's client reaches kas through the connection kas dialled in (agent/receptive).
 * `channelOptions`: added to the channel's options. grpc-js shares one connection between channels with equal
 * options, so a process that runs many agents (bench/kas-scale) gives each its own connection with a distinct one.
 */
export function connectToKas(
  config: AgentConfig,
  token: string,
  receptiveTarget?: string,
  channelOptions: Record<string, string | number> = {},
): KasConnection {
  const url = new URL(config.kasAddress ?? "grpc://kas-dials-in:0");
  const target = receptiveTarget ?? `${url.hostname}:${url.port}`;
  const creds =
    !receptiveTarget && url.protocol === "grpcs:"
      ? credentials.createSsl(config.kasCaFile ? fs.readFileSync(config.kasCaFile) : null)
      : credentials.createInsecure();
  const options = {
    "grpc.keepalive_time_ms": 20_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.max_receive_message_length": 8 * 1024 * 1024,
    "grpc-node.flow_control_window": RECEIVE_WINDOW_BYTES,
    ...channelOptions,
  };
  const clients: Client[] = [];
  const ca =
    !receptiveTarget && url.protocol === "grpcs:" && config.kasCaFile ? fs.readFileSync(config.kasCaFile) : undefined;
  const dialDataChannel = receptiveTarget
    ? undefined
    : (): Duplex => {
        const port = Number(url.port);
        if (url.protocol !== "grpcs:") return net.connect({ host: url.hostname, port, noDelay: true });
        // No ALPN: kas's TLS port offers h2 alone, and tells the channel apart by its first bytes.
        const socket = tls.connect({
          host: url.hostname,
          port,
          servername: net.isIP(url.hostname) ? undefined : url.hostname,
          ca,
        });
        socket.setNoDelay(true);
        return socket;
      };
  return {
    dialDataChannel,
    address: receptiveTarget ? "kas (receptive: kas dials this agent)" : (config.kasAddress ?? ""),
    client(service) {
      const c = new service(target, creds, options);
      clients.push(c);
      return c;
    },
    metadata() {
      const m = new Metadata();
      m.set("authorization", `Bearer ${token}`);
      return m;
    },
    close() {
      for (const c of clients.splice(0)) c.close();
    },
  };
}
