// What the agent reports to kas: its version and pod, the cluster's Kubernetes version and node count.
import { CoreV1Api, VersionApi, type KubeConfig } from "@kubernetes/client-node";
import { AGENT_VERSION, type AgentConfig } from "../config";
import type { AgentInfo } from "../../proto/gen/tether/v1/agent_api";

export async function clusterInfo(kc: KubeConfig, config: AgentConfig, connectionId: string): Promise<AgentInfo> {
  const version = await kc.makeApiClient(VersionApi).getCode();
  let nodeCount = 0;
  try {
    const nodes = await kc.makeApiClient(CoreV1Api).listNode({ limit: 500 });
    nodeCount = nodes.items.length + (nodes.metadata?.remainingItemCount ?? 0);
  } catch {
    nodeCount = -1; // not allowed to list nodes: reported as unknown
  }
  return {
    agentVersion: AGENT_VERSION,
    podName: config.podName,
    podNamespace: config.podNamespace,
    kubernetesVersion: version.gitVersion,
    nodeCount: Math.max(nodeCount, 0),
    connectionId,
  };
}
