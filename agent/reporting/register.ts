// Registering with kas and heartbeating: each call reports the agent's version and pod and the
// cluster's version and node count. Registration retries with backoff until kas accepts the token;
// heartbeats then follow at the interval kas asked for.
import { status, type Metadata, type ServiceError } from "@grpc/grpc-js";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { AgentApiServiceClient, RegisterResponse } from "../../proto/gen/tether/v1/agent_api";
import type { AgentConfig } from "../config";
import { backoffDelay } from "../../lib/common/backoff";
import { clusterInfo } from "./info";

export interface Reporter {
  stop(): void;
}

export function startReporting(o: {
  api: AgentApiServiceClient;
  metadata: () => Metadata;
  kubeConfig: KubeConfig;
  config: AgentConfig;
  log: Logger;
}): Reporter {
  const { api, config, log } = o;
  const connectionId = `${config.podName || "agent"}-${process.pid}`;
  let registered: RegisterResponse | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const register = async (attempt = 1): Promise<void> => {
    if (stopped) return;
    try {
      const info = await clusterInfo(o.kubeConfig, config, connectionId);
      registered = await new Promise<RegisterResponse>((resolve, reject) =>
        api.register({ info }, o.metadata(), { deadline: Date.now() + 15_000 }, (err, res) =>
          err ? reject(err) : resolve(res!),
        ),
      );
      log.info(
        {
          agent: registered.agentName,
          project: registered.projectPath,
          kasVersion: registered.kasVersion,
          kubernetesVersion: info.kubernetesVersion,
        },
        "registered with kas",
      );
      timer = setTimeout(() => void heartbeat(), registered.heartbeatIntervalMs);
    } catch (e) {
      const err = e as ServiceError;
      const why =
        err.code === status.UNAUTHENTICATED
          ? `kas refused the agent token: ${err.details}`
          : `cannot register with kas${config.receptive ? " (over the connection kas dialled)" : ` at ${config.kasAddress}`}: ${err.details ?? err.message}`;
      const delay = backoffDelay(attempt);
      log.error({ attempt, retryInMs: delay }, why);
      timer = setTimeout(() => void register(attempt + 1), delay);
    }
  };
  const heartbeat = async (): Promise<void> => {
    if (stopped || !registered) return;
    try {
      const info = await clusterInfo(o.kubeConfig, config, connectionId);
      await new Promise<void>((resolve, reject) =>
        api.heartbeat({ info }, o.metadata(), { deadline: Date.now() + 15_000 }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    } catch (e) {
      log.warn({ err: (e as ServiceError).details ?? (e as Error).message }, "heartbeat failed");
    }
    timer = setTimeout(() => void heartbeat(), registered.heartbeatIntervalMs);
  };

  void register();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
