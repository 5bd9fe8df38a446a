// What every kas capability gets from the process (kas/server.ts) and hands back. A capability adds
// its services to the gRPC servers here; it never binds them, and never starts another capability.
import type { Server } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { Capability } from "../lib/common/capability";
import type { Readiness } from "../lib/common/observability";
import type { KasConfig } from "./config";
import type { KasMetrics } from "./metrics";
import type { TunnelRegistry } from "./tunnel";
import type { DataChannelHub } from "./tunnel/data-channel";
import type { WebApi } from "./web-api";

export interface KasContext {
  config: KasConfig;
  /** This capability's logger (`capability` field set). */
  log: Logger;
  metrics: KasMetrics;
  /** The web/kas shared secret (internal JWTs both ways). */
  secret: string;
  /** web's internal API: agent tokens, contact reports, configuration, proxy authorization and audit. */
  web: WebApi;
  /** The agents' tunnel streams on this kas: every request to an agent takes one from here. */
  registry: TunnelRegistry;
  /** The agents' data channels (response bodies off gRPC): agent-api offers them, the agents' port accepts them. */
  dataChannels: DataChannelHub;
  /** The gRPC server agents dial (TLS when configured). Add services in start(); it listens once every capability has started. */
  agentServer: Server;
  /** The gRPC server web dials (MakeRequest and friends); the same rule. */
  internalServer: Server;
  /** What /readyz asks; add a check for anything that makes this kas unfit for traffic. */
  readiness: Readiness;
}

/** The facts kas's startup line ("kas listening") and startKas() report. */
export interface KasReport {
  agentPort: number;
  internalPort: number;
  observabilityPort: number;
  k8sProxyPort: number;
  /** The k8s-proxy serves HTTPS. */
  tls: boolean;
}

export type KasCapability = Capability<KasContext, KasReport>;
