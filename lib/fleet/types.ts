// What the fleet view answers (JSON-safe: dates are ISO strings). The page and the REST route share it.
import type { ConnectionStatus } from "@/lib/agents";
import type { SupportStatus } from "@/lib/versions/policy";

export interface FleetAgent {
  id: string;
  name: string;
  /** The agent's page. */
  href: string;
  project: { id: string; name: string; fullPath: string; href: string };
  status: ConnectionStatus;
  lastContactAt: string | null;
  firstContactAt: string | null;
  agentVersion: string | null;
  /** The agent's version against kas's: older, newer, or null when equal or not reported. */
  versionSkew: "behind" | "ahead" | null;
  kubernetesVersion: string | null;
  support: { status: SupportStatus; detail: string };
  nodeCount: number | null;
  /** The pod that last reported (namespace/name), when it said. */
  pod: string | null;
  /** The kas replica that last heard the agent's heartbeat. */
  lastHeardBy: string | null;
}

export interface FleetProject {
  id: string;
  name: string;
  fullPath: string;
  href: string;
  /** The group it belongs to, or null for a personal project. */
  group: { path: string; href: string } | null;
  /** The owner's username for a personal project. */
  owner: string | null;
  agents: number;
  connectedAgents: number;
  /** The project's own fleet rows: the fleet filtered by this project. */
  fleetHref: string;
}

export interface FleetGroup {
  id: string;
  name: string;
  path: string;
  href: string;
  projects: number;
  members: number;
  agents: number;
}

export interface KasReplicaSeen {
  /** TETHER_KAS_ID of the replica. */
  id: string;
  /** Agents whose tunnels it holds now (as kas's registry says). */
  tunnels: number;
  /** Agents whose last heartbeat it carried (from the database). */
  heartbeats: number;
  /** The newest heartbeat it carried. */
  lastHeartbeatAt: string | null;
}

export interface FleetKas {
  version: string;
  /** kas answered every status question web asked for this view. */
  reachable: boolean;
  /** The replicas web knows of: from kas's tunnel registry and from the heartbeats recorded lately. */
  replicas: KasReplicaSeen[];
}

export interface FleetCounts {
  agents: number;
  connected: number;
  notConnected: number;
  unsupported: number;
  skew: number;
}

export interface FleetView {
  /** Server time, so the browser can correct its clock when it says "12 s ago". */
  now: string;
  kas: FleetKas;
  /** Over every agent of the installation, whatever the filter. */
  counts: FleetCounts;
  /** The agents the query keeps, in its order. */
  agents: FleetAgent[];
  projects: FleetProject[];
  groups: FleetGroup[];
}
