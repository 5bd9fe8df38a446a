// The agent: `tsx agent/main.ts --kas-address=grpc://host:port --token-file=FILE [--kubeconfig=FILE]`.
// Starts its capabilities (AGENT_CAPABILITIES: observability, the tunnel's streams to kas, reporting, flux)
// in order and stops them in reverse. Exits cleanly on SIGTERM.
import { KubeConfig } from "@kubernetes/client-node";
import { installLeanAsyncResourceBind } from "../lib/common/async-bind";
import { startCapabilities } from "../lib/common/capability";
import { createLogger } from "../lib/common/logger";
import { Readiness } from "../lib/common/observability";
import type { AgentCapability } from "./capability";
import { AGENT_VERSION, loadAgentConfig } from "./config";
import { flux } from "./flux";
import { connectToKas, readToken } from "./kas-connection";
import { KubeApi } from "./kube-proxy";
import { createAgentMetrics } from "./metrics";
import { observability } from "./observability";
import { startReceptive } from "./receptive";
import { reporting } from "./reporting";
import { tunnel } from "./tunnel";

const log = createLogger("agent");

/** Started in this order, stopped in reverse: Flux gives up its Lease, heartbeats stop, idle tunnel streams end, then /metrics goes. */
const AGENT_CAPABILITIES: readonly AgentCapability[] = [observability, tunnel, reporting, flux];

async function main(): Promise<void> {
  // Every tunnelled request becomes an HTTP/2 stream to the API server; Node 20's bind for it cost more than the rest of the request (lib/common/async-bind.ts).
  installLeanAsyncResourceBind();
  const config = loadAgentConfig();
  const token = readToken(config.tokenFile);
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromCluster();
  const kube = await KubeApi.create(kubeConfig, { http2: config.apiserverHttp2 });
  // A receptive agent listens for kas first; its tunnel client then runs over the connection kas opens.
  const receptive = config.receptive ? await startReceptive(config, log.child({ capability: "receptive" })) : null;
  const kas = connectToKas(config, token, receptive?.target);

  const running = await startCapabilities(AGENT_CAPABILITIES, {
    config,
    log,
    metrics: createAgentMetrics(),
    kas,
    kube,
    kubeConfig,
    readiness: new Readiness(),
  });
  log.info(
    {
      version: AGENT_VERSION,
      kas: receptive ? null : config.kasAddress,
      receptivePort: receptive?.port ?? null,
      apiServer: kube.server,
      apiServerProtocol: kube.protocol,
      observability: running.report.observability,
    },
    "agent starting",
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "agent stopping");
    running.stop().catch((e: Error) => log.error({ err: e.message }, "agent did not stop cleanly"));
    // Give running requests a moment, then close the channels.
    setTimeout(() => {
      kas.close();
      void receptive?.close();
      process.exit(0);
    }, 500).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e: unknown) => {
  log.fatal({ err: (e as Error).message }, "agent failed to start");
  process.exit(1);
});
