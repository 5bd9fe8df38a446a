// The load generator of bench/kas-scale: many agents in one process, each the agent's own code (the
// tunnel, reporting and flux capabilities of agent/, started as agent/main.ts starts them) with its own
// registered token and its own gRPC connection to kas, so kas sees what a fleet of agent pods shows it:
// per agent a connection with keepalive pings, `--min-idle-streams` idle Connect streams, a heartbeat,
// the configuration poll and the Flux leader's push stream.
//
// The agents' cluster is an in-process HTTP server speaking just enough of the Kubernetes API for what
// the agents ask of it on their own (version, nodes, their Flux leader Lease) and one ConfigMap,
// `default/x`, for the requests bench/kas-scale sends through kas to an agent of the fleet.
//
//   tsx bench/kas-scale/fleet.ts --kas-address=grpc://127.0.0.1:8300 --tokens-file=FILE [--capabilities=tunnel,reporting,flux]
//
// FILE: JSON [{ "agentId": "...", "token": "..." }]. Prints one JSON line "fleet dialling" just before the
// agents start and "fleet started" once every agent's capabilities have started; stops them on SIGTERM.
import fs from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { startCapabilities, type RunningCapabilities } from "../../lib/common/capability";
import { createLogger } from "../../lib/common/logger";
import { Readiness } from "../../lib/common/observability";
import type { AgentCapability, AgentReport } from "../../agent/capability";
import { loadAgentConfig } from "../../agent/config";
import { flux } from "../../agent/flux";
import { connectToKas, type KasConnection } from "../../agent/kas-connection";
import { KubeApi } from "../../agent/kube-proxy";
import { createAgentMetrics } from "../../agent/metrics";
import { reporting } from "../../agent/reporting";
import { tunnel } from "../../agent/tunnel";
import { CONFIGMAP_PATH } from "./paths";

const tokensSchema = z.array(z.object({ agentId: z.string().min(1), token: z.string().min(1) })).min(1);

const argsSchema = z.object({
  kasAddress: z.string().regex(/^grpcs?:\/\/[\w.-]+:\d+$/, "--kas-address must look like grpc://host:port"),
  tokensFile: z.string({ error: "set --tokens-file to the JSON file of the agents' ids and tokens" }).min(1),
  /** The agent's capabilities each agent runs (fewer only to see what each costs kas). */
  capabilities: z
    .string()
    .default("tunnel,reporting,flux")
    .transform((v) => v.split(","))
    .pipe(
      z.array(z.enum(["tunnel", "reporting", "flux"], { error: "--capabilities: a list of tunnel, reporting, flux" })),
    ),
});

const CONFIGMAP = JSON.stringify({
  kind: "ConfigMap",
  apiVersion: "v1",
  metadata: { name: "x", namespace: "default", uid: "0b3c1f6e-fleet", resourceVersion: "1" },
  data: { greeting: "hello from the fleet" },
});

const VERSION = JSON.stringify({
  major: "1",
  minor: "34",
  gitVersion: "v1.34.0-kas-scale-fleet",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.24.0",
  compiler: "gc",
  platform: "linux/amd64",
});

const NODES = JSON.stringify({
  kind: "NodeList",
  apiVersion: "v1",
  metadata: { resourceVersion: "1" },
  items: [{ metadata: { name: "fleet-node" } }],
});

const LEASES = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/?]+))?$/;

interface LeaseObject {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: Record<string, unknown>;
}

/** Just enough of the Kubernetes API for the fleet's agents; Leases kept in memory with resourceVersion checks. */
function startFakeApiServer(): Promise<http.Server> {
  const leases = new Map<string, LeaseObject>();
  let version = 1;
  const send = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  const statusBody = (code: number, reason: string, message: string) =>
    JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fleet");
      const method = req.method ?? "GET";
      if (method === "GET" && url.pathname === "/version") return send(res, 200, VERSION);
      if (method === "GET" && url.pathname === "/api/v1/nodes") return send(res, 200, NODES);
      if (method === "GET" && url.pathname === CONFIGMAP_PATH) return send(res, 200, CONFIGMAP);
      const lease = LEASES.exec(url.pathname);
      if (lease) {
        const [, namespace, name] = lease;
        let body: LeaseObject | null = null;
        if (chunks.length > 0) {
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LeaseObject;
          } catch {
            return send(res, 400, statusBody(400, "BadRequest", "the body is not JSON"));
          }
        }
        const key = `${namespace}/${name ?? body?.metadata?.name ?? ""}`;
        const stored = leases.get(key);
        if (method === "GET" && name) {
          return stored
            ? send(res, 200, JSON.stringify(stored))
            : send(res, 404, statusBody(404, "NotFound", `leases "${name}" not found`));
        }
        if (method === "POST" && !name && body) {
          if (stored) return send(res, 409, statusBody(409, "AlreadyExists", `leases "${key}" already exists`));
          const created = { ...body, metadata: { ...body.metadata, resourceVersion: String(++version) } };
          leases.set(key, created);
          return send(res, 201, JSON.stringify(created));
        }
        if (method === "PUT" && name && body) {
          if (!stored) return send(res, 404, statusBody(404, "NotFound", `leases "${name}" not found`));
          if (body.metadata?.resourceVersion !== stored.metadata.resourceVersion)
            return send(res, 409, statusBody(409, "Conflict", "the object has been modified"));
          const updated = { ...body, metadata: { ...body.metadata, resourceVersion: String(++version) } };
          leases.set(key, updated);
          return send(res, 200, JSON.stringify(updated));
        }
      }
      send(res, 404, statusBody(404, "NotFound", `${method} ${url.pathname} is not served by the fleet's API server`));
    });
  });
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function kubeconfigFor(port: number): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "fleet", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "fleet", token: "fleet" }],
    contexts: [{ name: "fleet", cluster: "fleet", user: "fleet" }],
    currentContext: "fleet",
  });
  return kc;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "kas-address": { type: "string" },
      "tokens-file": { type: "string" },
      capabilities: { type: "string" },
    },
    strict: true,
  });
  const parsed = argsSchema.safeParse({
    kasAddress: values["kas-address"],
    tokensFile: values["tokens-file"],
    capabilities: values.capabilities,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const args = parsed.data;
  const agents = tokensSchema.parse(JSON.parse(fs.readFileSync(args.tokensFile, "utf8")));
  const all: Record<string, AgentCapability> = { tunnel, reporting, flux };
  const capabilities = args.capabilities.map((c) => all[c]!);

  const api = await startFakeApiServer();
  const kubeConfig = kubeconfigFor((api.address() as { port: number }).port);
  // One upstream client for the whole fleet: it is the agents' cluster side, which kas never sees.
  const kube = await KubeApi.create(kubeConfig, { http2: false });
  const log = createLogger("fleet", process.env.FLEET_LOG_LEVEL ?? "warn");
  // The agent's own configuration (its defaults: 10 idle streams, 15 s configuration poll); each agent its own
  // pod name, as in a cluster. The token file is not read: each agent's token comes from FILE.
  const base = loadAgentConfig(
    [
      `--kas-address=${args.kasAddress}`,
      `--token-file=${args.tokensFile}`,
      "--observability-address=127.0.0.1:0",
      "--flux-lease-namespace=default",
    ],
    {},
  );
  const configFor = (i: number) => ({ ...base, podName: `fleet-${i}`, podNamespace: "default" });

  const started: { kas: KasConnection; running: RunningCapabilities<AgentReport> }[] = [];
  console.log(JSON.stringify({ msg: "fleet dialling", agents: agents.length, pid: process.pid }));
  await Promise.all(
    agents.map(async ({ token }, i) => {
      const config = configFor(i);
      // A channel option of its own: grpc-js would otherwise carry every agent on one shared connection.
      const kas = connectToKas(config, token, undefined, { "tether.bench.fleet_agent": i });
      const running = await startCapabilities(capabilities, {
        config,
        log: log.child({ fleetAgent: i }),
        metrics: createAgentMetrics({ processMetrics: false }),
        kas,
        kube,
        kubeConfig,
        readiness: new Readiness(),
      });
      started.push({ kas, running });
    }),
  );
  console.log(
    JSON.stringify({
      msg: "fleet started",
      agents: started.length,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    }),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.all(started.map((a) => a.running.stop().catch(() => undefined))).finally(() => {
      for (const a of started) a.kas.close();
      kube.close();
      api.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e: unknown) => {
  console.error(JSON.stringify({ msg: "fleet failed", err: (e as Error).message }));
  process.exit(1);
});
