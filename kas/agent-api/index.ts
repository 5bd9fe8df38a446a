// The agent API: agents register, heartbeat, fetch their configuration and open tunnel (Connect)
// streams, each call authenticated by the agent's token with web. It must not route requests to agents.
import { status } from "@grpc/grpc-js";
import { Gauge } from "prom-client";
import { AgentApiServiceService } from "../../proto/gen/tether/v1/agent_api";
import { TunnelService } from "../../lib/common/chunk-codec";
import type { KasCapability } from "../capability";
import { ConfigWaiters } from "./config-watch";
import { ConnectedTokens, agentApiHandlers, tunnelHandlers } from "./server";

/** For another capability's agent-facing service: the agent a call's token belongs to, or a gRPC-coded error. */
export { authenticate as authenticateAgent, inSlices } from "./server";
/** The notice topic that wakes an agent's configuration long poll (published by NotifyAgentConfig). */
export { AGENT_CONFIG_TOPIC } from "./config-watch";

export const agentApi: KasCapability = {
  name: "agent-api",
  start(ctx) {
    const tokens = new ConnectedTokens();
    const waiters = new ConfigWaiters(ctx.registry);
    new Gauge({
      name: "tether_kas_config_polls_waiting",
      help: "Agents' configuration calls held until their configuration changes",
      registers: [ctx.metrics.registry],
      collect() {
        this.set(waiters.size);
      },
    });
    ctx.agentServer.addService(AgentApiServiceService, agentApiHandlers(ctx, tokens, waiters));
    ctx.agentServer.addService(TunnelService, tunnelHandlers(ctx, tokens));
    // A revoked token's tunnels close within one re-check, even while the agent keeps them busy.
    const recheck = setInterval(
      () => void tokens.recheck(ctx).catch((e: Error) => ctx.log.error({ err: e.message }, "token re-check failed")),
      ctx.config.TETHER_KAS_TOKEN_RECHECK_MS,
    );
    // Published by any kas replica (web calls CloseAgentTunnels): act now instead of at the next re-check.
    ctx.registry.onAgentEvent(({ agentId, kind }) => {
      if (kind === "notice") return; // for another capability's streams
      if (kind === "deleted") {
        ctx.log.warn({ agentId }, "agent deleted: closing its tunnels");
        ctx.registry.closeAgent(agentId, status.UNAUTHENTICATED, "agent deleted");
        return;
      }
      void tokens
        .recheck(ctx, agentId)
        .catch((e: Error) => ctx.log.error({ agentId, err: e.message }, "token re-check failed"));
    });
    return { stop: () => clearInterval(recheck) };
  },
};
