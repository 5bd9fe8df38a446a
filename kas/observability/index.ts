// kas's observability endpoint: /metrics, /healthz, and /readyz ("shutting down" once kas stops).
// It must not serve anything an agent or web calls.
import { startObservabilityServer } from "../../lib/common/observability";
import type { KasCapability } from "../capability";

export const observability: KasCapability = {
  name: "observability",
  async start({ config, metrics, readiness }) {
    const server = await startObservabilityServer({
      address: config.TETHER_KAS_OBSERVABILITY_ADDRESS,
      who: "kas",
      metrics: metrics.registry,
      readiness,
    });
    return { report: { observabilityPort: server.address.port }, stop: () => server.close() };
  },
};
