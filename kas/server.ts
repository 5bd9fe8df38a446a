// Starts kas: its capabilities in the order of KAS_CAPABILITIES, then the "kas listening" line with
// every port. Returns a handle that drains and stops them in reverse order.
import type { Logger } from "pino";
import { startCapabilities } from "../lib/common/capability";
import { readSharedSecret } from "../lib/common/internal-jwt";
import { Readiness } from "../lib/common/observability";
import { agentApi } from "./agent-api";
import type { KasCapability, KasContext } from "./capability";
import { privateAddressOf, type KasConfig } from "./config";
import { createAgentServer, createInternalServer, frameServerMessagesInPlace, grpcServers } from "./grpc-servers";
import { internalApi } from "./internal-api";
import { k8sProxy } from "./k8s-proxy";
import { flux } from "./flux";
import { createKasMetrics } from "./metrics";
import { observability } from "./observability";
import { receptive } from "./receptive";
import { RedisTunnelRegistry, routing } from "./routing";
import { MemoryTunnelRegistry, tunnel, type TunnelRegistry } from "./tunnel";
import { DataChannelHub } from "./tunnel/data-channel";
import { WebApi } from "./web-api";

export interface RunningKas {
  agentPort: number;
  internalPort: number;
  observabilityPort: number;
  k8sProxyPort: number;
  registry: TunnelRegistry;
  stop(): Promise<void>;
}

/**
 * Started in this order, stopped in reverse. At shutdown /readyz turns to "shutting down" first; then
 * every tunnel stream is ended, the gRPC servers drain (5 s at most), the token re-check stops, the
 * k8s-proxy closes, and the observability endpoint goes last. A capability that adds gRPC services
 * goes before `grpcServers`.
 */
export const KAS_CAPABILITIES: readonly KasCapability[] = [
  observability,
  k8sProxy,
  internalApi,
  agentApi,
  routing,
  receptive,
  flux,
  grpcServers,
  tunnel,
];

export async function startKas(config: KasConfig, log: Logger): Promise<RunningKas> {
  const secret = readSharedSecret(config.TETHER_KAS_SHARED_SECRET_FILE);
  const metrics = createKasMetrics();
  const registry = config.TETHER_REDIS_URL
    ? new RedisTunnelRegistry({
        kasId: config.TETHER_KAS_ID,
        redisUrl: config.TETHER_REDIS_URL,
        ttlMs: config.TETHER_KAS_REGISTRY_TTL_MS,
        peerSecret: readSharedSecret(config.TETHER_KAS_PEER_SECRET_FILE ?? ""),
        maxStreamsPerAgent: config.TETHER_KAS_MAX_STREAMS_PER_AGENT,
        maxMessageBytes: config.TETHER_KAS_MAX_MESSAGE_BYTES,
        log: log.child({ capability: "routing" }),
        metrics,
      })
    : new MemoryTunnelRegistry(config.TETHER_KAS_MAX_STREAMS_PER_AGENT, metrics, config.TETHER_KAS_ID);
  let stopping = false;
  const readiness = new Readiness();
  readiness.add(() => (stopping ? "shutting down" : null));
  const ctx: KasContext = {
    config,
    log,
    metrics,
    secret,
    web: new WebApi(config.TETHER_WEB_URL, secret, config.TETHER_KAS_TOKEN_CACHE_MS, config.TETHER_KAS_ID, {
      batchMs: config.TETHER_KAS_WEB_BATCH_MS,
      recheckMs: config.TETHER_KAS_TOKEN_RECHECK_MS,
    }),
    registry,
    dataChannels: new DataChannelHub(log.child({ capability: "data-channel" }), metrics),
    agentServer: createAgentServer(config),
    internalServer: createInternalServer(config),
    readiness,
  };
  if (!frameServerMessagesInPlace())
    log.warn("this grpc-js frames every message with a copy: relayed bodies cost kas more CPU (kas/grpc-servers.ts)");
  const running = await startCapabilities(KAS_CAPABILITIES, ctx);
  const { agentPort = 0, internalPort = 0, observabilityPort = 0, k8sProxyPort = 0, tls = false } = running.report;
  const privateAddress = privateAddressOf(config, internalPort);
  if (registry instanceof RedisTunnelRegistry) registry.setPrivateAddress(privateAddress);
  log.info(
    { kasId: config.TETHER_KAS_ID, privateAddress, agentPort, internalPort, observabilityPort, k8sProxyPort, tls },
    "kas listening",
  );
  return {
    agentPort,
    internalPort,
    observabilityPort,
    k8sProxyPort,
    registry,
    async stop() {
      stopping = true;
      await running.stop();
    },
  };
}
