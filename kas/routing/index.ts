// Several kas replicas: the tunnel registry in Redis and kas-to-kas forwarding (KasPeerService on the
// internal server, reached at each replica's private address). Without TETHER_REDIS_URL kas runs alone
// with the in-memory registry and this capability does nothing.
import { KasPeerServiceService } from "../../proto/gen/tether/v1/kas_peer";
import type { KasCapability } from "../capability";
import { peerHandlers } from "./peer";
import { RedisTunnelRegistry } from "./redis-registry";

export { RegistryUnavailableError } from "./errors";
export { RedisTunnelRegistry } from "./redis-registry";

/** Goes before `grpcServers` (it adds a service); at shutdown it runs after the tunnels closed, removing this kas's entries. */
export const routing: KasCapability = {
  name: "routing",
  async start({ registry, internalServer, log, metrics, config }) {
    if (!(registry instanceof RedisTunnelRegistry)) return { stop: () => undefined };
    internalServer.addService(
      KasPeerServiceService,
      peerHandlers({
        kasId: config.TETHER_KAS_ID,
        local: registry.local,
        peerSecret: registry.peerSecret,
        log,
        metrics,
      }),
    );
    await registry.start();
    log.info({ kasId: config.TETHER_KAS_ID }, "tunnel registry in Redis");
    return { stop: () => registry.stop() };
  },
};
