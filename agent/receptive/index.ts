// The receptive agent: instead of dialling kas, it listens (TLS) and lets in only kas, proven by a key or
// a client certificate; its ordinary tunnel client then runs over the connection kas opened. Must not
// serve anything to a caller that has not passed the handshake.
import fs from "node:fs";
import type { Logger } from "pino";
import type { AgentConfig } from "../config";
import { startReceptiveBridge } from "./bridge";
import { startReceptiveListener } from "./listener";

export { startReceptiveListener, ReplayGuard, type ReceptiveListener } from "./listener";

export interface RunningReceptive {
  /** The gRPC target for the agent's kas connection. */
  target: string;
  port: number;
  close(): Promise<void>;
}

function read(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read the ${what} from ${file}: ${(e as Error).message}`);
  }
}

export async function startReceptive(config: AgentConfig, log: Logger): Promise<RunningReceptive> {
  const bridge = await startReceptiveBridge(log);
  const listener = await startReceptiveListener({
    address: config.receptiveAddress,
    certPem: read(config.receptiveCertFile!, "receptive TLS certificate"),
    keyPem: read(config.receptiveKeyFile!, "receptive TLS key"),
    jwtPublicKeyPem: config.receptiveJwtPublicKeyFile
      ? read(config.receptiveJwtPublicKeyFile, "receptive JWT public key")
      : undefined,
    clientCaPem: config.receptiveClientCaFile ? read(config.receptiveClientCaFile, "receptive client CA") : undefined,
    log,
    onAccepted: (socket) => bridge.offer(socket),
    isBusy: () => bridge.busy(),
  }).catch(async (e: unknown) => {
    await bridge.close();
    throw e;
  });
  return {
    target: bridge.target,
    port: listener.port,
    async close() {
      await listener.close();
      await bridge.close();
    },
  };
}
