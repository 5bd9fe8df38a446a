// The observability endpoint kas and the agent both serve: Prometheus metrics at /metrics, liveness
// at /healthz, readiness at /readyz (503 with the reason while any readiness check fails).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { closeServer, listenOn } from "./listen";

/** A question asked at every /readyz: null when ready, else what the 503 says. */
export type ReadinessCheck = () => string | null;

/** What /readyz asks, in order; capabilities add their own checks while they start. */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** The first failing check's reason, or null when every check passes. */
  notReadyReason(): string | null {
    for (const check of this.checks) {
      const reason = check();
      if (reason !== null) return reason;
    }
    return null;
  }
}

export interface ObservabilityServer {
  address: AddressInfo;
  close(): Promise<void>;
}

/** Serves metrics, health and readiness on `address` (host:port); `who` names the process in a listen error. */
export async function startObservabilityServer(o: {
  address: string;
  who: string;
  metrics: Registry;
  readiness: Readiness;
}): Promise<ObservabilityServer> {
  const server = http.createServer((req, res) => {
    if (req.url === "/metrics") {
      o.metrics.metrics().then(
        (text) => res.writeHead(200, { "content-type": o.metrics.contentType }).end(text),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    } else if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (req.url === "/readyz") {
      const reason = o.readiness.notReadyReason();
      res
        .writeHead(reason === null ? 200 : 503, { "content-type": "text/plain" })
        .end(reason === null ? "ready\n" : `${reason}\n`);
    } else {
      res.writeHead(404).end();
    }
  });
  const address = await listenOn(server, o.address, o.who);
  return { address, close: () => closeServer(server) };
}
