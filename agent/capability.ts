// What every agent capability gets from the process (agent/main.ts) and hands back. A capability
// talks to kas only through `kas` and to the cluster only through `kube`/`kubeConfig`.
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Capability } from "../lib/common/capability";
import type { Readiness } from "../lib/common/observability";
import type { AgentConfig } from "./config";
import type { KasConnection } from "./kas-connection";
import type { KubeApi } from "./kube-proxy";
import type { AgentMetrics } from "./metrics";

export interface AgentContext {
  config: AgentConfig;
  /** This capability's logger (`capability` field set). */
  log: Logger;
  metrics: AgentMetrics;
  /** The way to kas: make a client of a kas service with `kas.client(...)`, authenticate calls with `kas.metadata()`. */
  kas: KasConnection;
  /** The cluster's API server, as tunnelled requests reach it (shared HTTP/2 connections). */
  kube: KubeApi;
  /** The agent's credentials for the cluster, for the Kubernetes client library. */
  kubeConfig: KubeConfig;
  /** What /readyz asks; add a check for anything without which the agent cannot serve. */
  readiness: Readiness;
}

/** The facts the agent's startup line ("agent starting") reports. */
export interface AgentReport {
  observability: AddressInfo;
}

export type AgentCapability = Capability<AgentContext, AgentReport>;
