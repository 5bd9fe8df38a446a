// The agent's observability endpoint: /metrics, /healthz, and /readyz (ready while a tunnel stream to
// kas is idle). It must not serve anything kas or the cluster calls.
import { startObservabilityServer } from "../../lib/common/observability";
import type { AgentCapability } from "../capability";

export const observability: AgentCapability = {
  name: "observability",
  async start({ config, metrics, readiness }) {
    const server = await startObservabilityServer({
      address: config.observabilityAddress,
      who: "agent",
      metrics: metrics.registry,
      readiness,
    });
    return { report: { observability: server.address }, stop: () => server.close() };
  },
};
