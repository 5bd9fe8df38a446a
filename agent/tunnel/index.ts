// The tunnel on the agent's side: a pool of Connect streams to kas, each serving the requests kas sends
// on it against the cluster (kube-proxy). It must not decide who may use the cluster: kas and web do.
import { ReverseTunnelClient } from "../../lib/common/chunk-codec";
import type { AgentCapability } from "../capability";
import { AgentDataChannels } from "./data-channel";
import { TunnelStreamPool } from "./pool";

export const tunnel: AgentCapability = {
  name: "tunnel",
  start({ config, log, metrics, kas, kube, readiness }) {
    const pool = new TunnelStreamPool({
      client: kas.client(ReverseTunnelClient),
      metadata: () => kas.metadata(),
      kube,
      minIdle: config.minIdleStreams,
      maxStreams: config.maxStreams,
      trimIntervalMs: config.idleTrimIntervalMs,
      log,
      metrics,
      channels: kas.dialDataChannel
        ? new AgentDataChannels(kas.dialDataChannel, log.child({ part: "data-channel" }), metrics)
        : undefined,
    });
    readiness.add(() => {
      const c = pool.counts;
      return c.idle > 0 ? null : `not ready: no tunnel stream to kas${c.lastError ? ` (${c.lastError})` : ""}`;
    });
    pool.start();
    return { stop: () => pool.stop() };
  },
};
