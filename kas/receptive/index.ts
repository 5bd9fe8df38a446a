// Receptive agents on kas's side: kas dials agents that listen (clusters that cannot reach Tether), then
// runs the ordinary tunnel over the dialled connection. Must not touch the tunnel protocol itself: a
// dialled connection is handed to kas's own agent gRPC server, and everything after that is unchanged.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServerCredentials } from "@grpc/grpc-js";
import { Counter, Gauge } from "prom-client";
import { backoffDelay } from "../../lib/common/backoff";
import type { KasWebResponse } from "../../lib/common/kas-web-contract";
import type { KasCapability } from "../capability";
import { ReceptiveDialer } from "./dialer";

export { dialReceptiveAgent, ReceptiveDialError, type ReceptiveAuth, type ReceptiveTarget } from "./dial";

type Target = KasWebResponse<"receptive-agents">["agents"][number];

/** How long web may hold kas's request for the list while nothing changes. */
const LONG_POLL_MS = 25_000;

export const receptive: KasCapability = {
  name: "receptive",
  async start(ctx) {
    const { log, web } = ctx;
    const connected = new Gauge({
      name: "tether_kas_receptive_connections",
      help: "Receptive agents this kas has dialled and holds a connection to",
      registers: [ctx.metrics.registry],
    });
    const failures = new Counter({
      name: "tether_kas_receptive_dial_failures_total",
      help: "Failed dials of receptive agents, by kind (unreachable, tls, refused, protocol)",
      labelNames: ["kind"],
      registers: [ctx.metrics.registry],
    });
    // The dialled connections reach the agent server here: a Unix socket in a private directory.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-kas-receptive-"));
    fs.chmodSync(dir, 0o700);
    const agentSocketPath = path.join(dir, `agent-${randomBytes(4).toString("hex")}.sock`);
    await new Promise<void>((resolve, reject) =>
      ctx.agentServer.bindAsync(`unix:${agentSocketPath}`, ServerCredentials.createInsecure(), (err) =>
        err ? reject(new Error(`kas cannot listen on ${agentSocketPath}: ${err.message}`)) : resolve(),
      ),
    );

    const dialers = new Map<string, { key: string; dialer: ReceptiveDialer }>();
    const reconcile = async (targets: Target[]) => {
      const wanted = new Map(targets.map((t) => [t.agentId, t]));
      for (const [agentId, d] of dialers) {
        const t = wanted.get(agentId);
        if (t && JSON.stringify(t) === d.key) continue;
        dialers.delete(agentId);
        log.info(
          { agentId, url: d.dialer.target.url },
          t ? "receptive agent configuration changed" : "receptive agent removed",
        );
        await d.dialer.stop();
      }
      for (const [agentId, t] of wanted) {
        if (dialers.has(agentId)) continue;
        const target = { url: t.url, caCertPem: t.caCert, tlsServerName: t.tlsServerName, auth: t.auth };
        const dialer = new ReceptiveDialer(agentId, target, {
          agentSocketPath,
          log,
          report: (s) => web.reportReceptiveState(s),
          onDialFailure: (kind) => failures.inc({ kind }),
          onConnected: (delta) => connected.inc(delta),
        });
        dialers.set(agentId, { key: JSON.stringify(t), dialer });
      }
    };

    const stopping = new AbortController();
    // Runs until stop(); a long poll in flight then ends by itself (web answers within LONG_POLL_MS).
    void (async () => {
      let version = "";
      let errors = 0;
      while (!stopping.signal.aborted) {
        try {
          const answer = await web.receptiveAgents(version, version ? LONG_POLL_MS : 0);
          errors = 0;
          if (stopping.signal.aborted) break;
          if (answer.version !== version) {
            version = answer.version;
            await reconcile(answer.agents);
          }
        } catch (e) {
          if (stopping.signal.aborted) break;
          errors += 1;
          const delay = backoffDelay(errors);
          log.warn({ err: (e as Error).message, retryInMs: delay }, "cannot read receptive agents from web");
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(t);
              stopping.signal.removeEventListener("abort", done);
              resolve();
            };
            const t = setTimeout(done, delay);
            stopping.signal.addEventListener("abort", done, { once: true });
          });
        }
      }
    })();

    return {
      async stop() {
        stopping.abort();
        await Promise.all([...dialers.values()].map((d) => d.dialer.stop()));
        dialers.clear();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
