// Handing a push to kas (FluxInternalService.NotifyPush on kas's internal server): kas publishes it to
// every replica, each hands it to the agents' push streams it holds, and answers which agents are connected.
import { credentials, Metadata } from "@grpc/grpc-js";
import { readSharedSecret, signInternalJwt } from "@/lib/common/internal-jwt";
import { sharedSecretFile } from "@/lib/kas-bridge";
import { FluxInternalServiceClient } from "@/proto/gen/tether/v1/flux";
import type { PushNotifier } from "./pushes";

/** One client (one HTTP/2 connection) per kas address, kept for the process's life. */
const g = globalThis as unknown as { tetherFluxClients?: Map<string, FluxInternalServiceClient> };

export function kasPushNotifier(
  kasAddress = process.env.TETHER_KAS_INTERNAL_ADDRESS ?? "127.0.0.1:8153",
  secretFile = sharedSecretFile(),
): PushNotifier {
  return async (push, agentIds) => {
    g.tetherFluxClients ??= new Map();
    let client = g.tetherFluxClients.get(kasAddress);
    if (!client) {
      client = new FluxInternalServiceClient(kasAddress, credentials.createInsecure());
      g.tetherFluxClients.set(kasAddress, client);
    }
    const md = new Metadata();
    md.set(
      "authorization",
      `Bearer ${await signInternalJwt(readSharedSecret(secretFile), "tether-web", "tether-kas")}`,
    );
    return new Promise((resolve, reject) =>
      client.notifyPush({ push, agentIds }, md, { deadline: Date.now() + 5_000 }, (err, res) =>
        err ? reject(new Error(err.details || err.message)) : resolve(res!.connectedAgentIds),
      ),
    );
  };
}
