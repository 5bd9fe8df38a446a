// The web process's one tunnel client, configured like kas: TETHER_KAS_INTERNAL_ADDRESS (default
// 127.0.0.1:8153) and the shared secret file (lib/kas-bridge's sharedSecretFile()).
import { sharedSecretFile } from "@/lib/kas-bridge";
import { readSharedSecret } from "@/lib/common/internal-jwt";
import { TunnelClient } from "./index";

const g = globalThis as unknown as { tetherTunnelClient?: TunnelClient };

export function tunnelClient(): TunnelClient {
  g.tetherTunnelClient ??= new TunnelClient({
    kasAddress: process.env.TETHER_KAS_INTERNAL_ADDRESS ?? "127.0.0.1:8153",
    secret: readSharedSecret(sharedSecretFile()),
  });
  return g.tetherTunnelClient;
}
