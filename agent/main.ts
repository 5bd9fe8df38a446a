// The agent: `tsx agent/main.ts --kas-address=grpc://host:port --token-file=FILE [--kubeconfig=FILE]`.
// Registers with kas, heartbeats, keeps the tunnel's idle streams open and serves Kubernetes API
// requests through them. Exits cleanly on SIGTERM.
import fs from "node:fs";
import http from "node:http";
import { credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { KubeConfig } from "@kubernetes/client-node";
import pino from "pino";
import { AgentApiServiceClient, type RegisterResponse } from "../proto/gen/tether/v1/agent_api";
import { TunnelClient } from "../lib/common/chunk-codec";
import { AGENT_VERSION, loadAgentConfig } from "./config";
import { KubeApi } from "./kube-proxy/forward";
import { createAgentMetrics } from "./metrics";
import { clusterInfo } from "./reporting/info";
import { backoffDelay } from "../lib/common/backoff";
import { TunnelPool } from "./tunnel/pool";

const log = pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "agent" }, redact: { paths: ["token", "*.token"], censor: "[redacted]" } });

function readToken(file: string): string {
  let token: string;
  try {
    token = fs.readFileSync(file, "utf8").trim();
  } catch (e) {
    throw new Error(`cannot read the agent token from ${file}: ${(e as Error).message}`);
  }
  if (!token) throw new Error(`the agent token file ${file} is empty`);
  return token;
}

async function main(): Promise<void> {
  const config = loadAgentConfig();
  const token = readToken(config.tokenFile);
  const kc = new KubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromCluster();
  const kube = await KubeApi.create(kc, { http2: config.apiserverHttp2 });
  const metrics = createAgentMetrics();

  const url = new URL(config.kasAddress);
  const target = `${url.hostname}:${url.port}`;
  const creds = url.protocol === "grpcs:" ? credentials.createSsl(config.kasCaFile ? fs.readFileSync(config.kasCaFile) : null) : credentials.createInsecure();
  const options = { "grpc.keepalive_time_ms": 20_000, "grpc.keepalive_timeout_ms": 10_000, "grpc.keepalive_permit_without_calls": 1, "grpc.max_receive_message_length": 8 * 1024 * 1024, "grpc-node.flow_control_window": 4 * 1024 * 1024 };
  const api = new AgentApiServiceClient(target, creds, options);
  const tunnelClient = new TunnelClient(target, creds, options);
  const md = () => {
    const m = new Metadata();
    m.set("authorization", `Bearer ${token}`);
    return m;
  };

  const pool = new TunnelPool({ client: tunnelClient, token, kube, minIdle: config.minIdleStreams, maxStreams: config.maxStreams, trimIntervalMs: config.idleTrimIntervalMs, log, metrics });
  let registered: RegisterResponse | null = null;
  let stopping = false;
  let heartbeatTimer: NodeJS.Timeout | null = null;
  const connectionId = `${config.podName || "agent"}-${process.pid}`;

  const register = async (attempt = 1): Promise<void> => {
    if (stopping) return;
    try {
      const info = await clusterInfo(kc, config, connectionId);
      registered = await new Promise<RegisterResponse>((resolve, reject) => api.register({ info }, md(), { deadline: Date.now() + 15_000 }, (err, res) => (err ? reject(err) : resolve(res!))));
      log.info({ agent: registered.agentName, project: registered.projectPath, kasVersion: registered.kasVersion, kubernetesVersion: info.kubernetesVersion }, "registered with kas");
      heartbeatTimer = setTimeout(() => void heartbeat(), registered.heartbeatIntervalMs);
    } catch (e) {
      const err = e as ServiceError;
      const why = err.code === status.UNAUTHENTICATED ? `kas refused the agent token: ${err.details}` : `cannot register with kas at ${config.kasAddress}: ${err.details ?? err.message}`;
      const delay = backoffDelay(attempt);
      log.error({ attempt, retryInMs: delay }, why);
      heartbeatTimer = setTimeout(() => void register(attempt + 1), delay);
    }
  };
  const heartbeat = async (): Promise<void> => {
    if (stopping || !registered) return;
    try {
      const info = await clusterInfo(kc, config, connectionId);
      await new Promise<void>((resolve, reject) => api.heartbeat({ info }, md(), { deadline: Date.now() + 15_000 }, (err) => (err ? reject(err) : resolve())));
    } catch (e) {
      log.warn({ err: (e as ServiceError).details ?? (e as Error).message }, "heartbeat failed");
    }
    heartbeatTimer = setTimeout(() => void heartbeat(), registered.heartbeatIntervalMs);
  };

  const [host, port] = [config.observabilityAddress.slice(0, config.observabilityAddress.lastIndexOf(":")), Number(config.observabilityAddress.slice(config.observabilityAddress.lastIndexOf(":") + 1))];
  const obs = http.createServer((req, res) => {
    if (req.url === "/metrics") {
      void metrics.registry.metrics().then((t) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(t));
    } else if (req.url === "/healthz") {
      res.writeHead(200).end("ok\n");
    } else if (req.url === "/readyz") {
      const c = pool.counts;
      const ready = !stopping && c.idle > 0;
      res.writeHead(ready ? 200 : 503).end(ready ? "ready\n" : `not ready: no tunnel stream to kas${c.lastError ? ` (${c.lastError})` : ""}\n`);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => obs.listen(port, host || undefined, resolve));
  log.info({ version: AGENT_VERSION, kas: config.kasAddress, apiServer: kube.server, apiServerProtocol: kube.protocol, observability: obs.address() }, "agent starting");

  pool.start();
  void register();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "agent stopping");
    if (heartbeatTimer) clearTimeout(heartbeatTimer);
    pool.stop();
    obs.close();
    // Give running requests a moment, then close the channels.
    setTimeout(() => {
      api.close();
      tunnelClient.close();
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
