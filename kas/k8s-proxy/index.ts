// The k8s-proxy: a Kubernetes-API-compatible HTTPS endpoint for kubectl and CI jobs, whose requests
// travel through the agent's tunnel with the impersonation web decides. It must not decide access itself.
import fs from "node:fs";
import { closeServer, listenOn } from "../../lib/common/listen";
import type { KasCapability } from "../capability";
import { createK8sProxy } from "./server";

export const k8sProxy: KasCapability = {
  name: "k8s-proxy",
  async start({ config, registry, web, log, metrics }) {
    const certFile = config.TETHER_KAS_K8S_PROXY_TLS_CERT_FILE ?? config.TETHER_KAS_TLS_CERT_FILE;
    const keyFile = config.TETHER_KAS_K8S_PROXY_TLS_KEY_FILE ?? config.TETHER_KAS_TLS_KEY_FILE;
    const tls = certFile && keyFile ? { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } : undefined;
    if (!tls)
      log.warn(
        "the Kubernetes API proxy runs without TLS: kubectl will not send tokens to it (set TETHER_KAS_K8S_PROXY_TLS_CERT_FILE and _KEY_FILE)",
      );
    const proxy = createK8sProxy({ registry, web, log, metrics, agentWaitMs: config.TETHER_KAS_AGENT_WAIT_MS }, tls);
    const { port } = await listenOn(proxy.server, config.TETHER_KAS_K8S_PROXY_ADDRESS, "kas");
    return {
      report: { k8sProxyPort: port, tls: Boolean(tls) },
      async stop() {
        proxy.closeAllConnections();
        await closeServer(proxy.server);
      },
    };
  },
};
