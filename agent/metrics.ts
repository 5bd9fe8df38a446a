// Prometheus metrics for the agent, served at /metrics on its observability port.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { BODY_MESSAGE_BUCKETS } from "../lib/common/tunnel-wire";

/** `processMetrics` false: no Node process metrics (a process running many agents, bench/kas-scale, would repeat them per agent). */
export function createAgentMetrics(opts: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    idleStreams: new Gauge({
      name: "tether_agent_tunnel_streams_idle",
      help: "Idle tunnel streams open to kas",
      registers: [registry],
    }),
    streams: new Gauge({
      name: "tether_agent_tunnel_streams",
      help: "Tunnel streams open to kas (idle and active)",
      registers: [registry],
    }),
    connectErrors: new Counter({
      name: "tether_agent_tunnel_connect_errors_total",
      help: "Tunnel streams that failed before carrying a request",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    requests: new Counter({
      name: "tether_agent_requests_total",
      help: "Requests served against the Kubernetes API",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    bodyMessageBytes: new Histogram({
      name: "tether_agent_tunnel_body_message_bytes",
      help: "Size of each body message sent to kas (response bodies, upgraded sessions)",
      buckets: BODY_MESSAGE_BUCKETS,
      registers: [registry],
    }),
    dataChannelBytes: new Counter({
      name: "tether_agent_data_channel_bytes_total",
      help: "Response body bytes sent to kas on the data channel instead of gRPC messages",
      registers: [registry],
    }),
    dataChannelConnects: new Counter({
      name: "tether_agent_data_channel_connects_total",
      help: "Data channel connection attempts by outcome (ready, refused, failed)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "tether_agent_request_duration_seconds",
      help: "Time to serve a tunnelled request",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
      registers: [registry],
    }),
  };
}

export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
