// Prometheus metrics for kas, served on the observability port at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { BODY_MESSAGE_BUCKETS } from "../lib/common/tunnel-wire";

export function createKasMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    connectedAgents: new Gauge({
      name: "tether_kas_connected_agents",
      help: "Agents with at least one tunnel stream on this kas",
      registers: [registry],
    }),
    idleStreams: new Gauge({
      name: "tether_kas_tunnel_streams_idle",
      help: "Idle tunnel streams waiting for a request",
      registers: [registry],
    }),
    streamsOpened: new Counter({
      name: "tether_kas_tunnel_streams_opened_total",
      help: "Tunnel streams agents opened (a reused stream counts once)",
      registers: [registry],
    }),
    activeStreams: new Gauge({
      name: "tether_kas_tunnel_streams_active",
      help: "Tunnel streams carrying a request",
      registers: [registry],
    }),
    requests: new Counter({
      name: "tether_kas_tunnel_requests_total",
      help: "Tunnelled requests by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    bytes: new Counter({
      name: "tether_kas_tunnel_bytes_total",
      help: "Body bytes carried through tunnels",
      labelNames: ["direction"] as const,
      registers: [registry],
    }),
    bodyMessageBytes: new Histogram({
      name: "tether_kas_tunnel_body_message_bytes",
      help: "Size of each body message kas sends: request bodies to agents, response bodies to web",
      labelNames: ["direction"] as const,
      buckets: BODY_MESSAGE_BUCKETS,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "tether_kas_tunnel_request_duration_seconds",
      help: "Time from a request's arrival until its response ends",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    dataChannels: new Gauge({
      name: "tether_kas_data_channels",
      help: "Agents' data channels open on this kas (response body bytes off gRPC)",
      registers: [registry],
    }),
    dataChannelBytes: new Counter({
      name: "tether_kas_data_channel_bytes_total",
      help: "Response body bytes that arrived on agents' data channels instead of gRPC messages",
      registers: [registry],
    }),
    dataChannelRefusals: new Counter({
      name: "tether_kas_data_channel_refusals_total",
      help: "Data channel connections refused (unknown or missing secret, malformed frames, too slow to say hello)",
      registers: [registry],
    }),
    forwarded: new Counter({
      name: "tether_kas_forwarded_requests_total",
      help: "Requests carried between kas replicas: sent (landed here, agent elsewhere) or served (for another replica)",
      labelNames: ["side", "outcome"] as const,
      registers: [registry],
    }),
    registryErrors: new Counter({
      name: "tether_kas_registry_errors_total",
      help: "Tunnel registry (Redis) operations that failed",
      registers: [registry],
    }),
    agentAuthFailures: new Counter({
      name: "tether_kas_agent_auth_failures_total",
      help: "Agent calls refused for a bad or revoked token",
      registers: [registry],
    }),
  };
}

export type KasMetrics = ReturnType<typeof createKasMetrics>;
