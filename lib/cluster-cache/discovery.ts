// What else the cluster serves: the API groups under /apis and, for each group's preferred version, the
// resources one can list and watch (custom resources included), as the viewer's identity sees them.
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import type { TunnelClient } from "@/lib/tunnel-client";

export interface DiscoveredResource {
  group: string;
  version: string;
  /** The plural name in the API path, e.g. helmreleases. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

interface ApiGroupList {
  groups: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[];
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

/** Listable, watchable top-level resources of one group version (no subresources such as pods/log). */
export function listableResources(group: string, version: string, list: ApiResourceList): DiscoveredResource[] {
  return list.resources
    .filter((r) => !r.name.includes("/") && r.verbs?.includes("list") && r.verbs.includes("watch"))
    .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced }));
}

/** Group versions asked at once: a cluster with many operators must not take every tunnel stream. */
export const DISCOVERY_CONCURRENCY = 6;

/** A group version that cannot be read (an unavailable aggregated API, RBAC) is left out, not fatal. */
export async function discoverResources(client: Pick<TunnelClient, "agentJson">, agentId: string, impersonation: Impersonation | undefined, signal?: AbortSignal): Promise<DiscoveredResource[]> {
  const groups = await client.agentJson<ApiGroupList>(agentId, { path: "/apis", impersonation, signal });
  const pending = [...groups.groups];
  const found: DiscoveredResource[] = [];
  const worker = async () => {
    for (let g = pending.shift(); g; g = pending.shift()) {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (!version) continue;
      try {
        found.push(...listableResources(g.name, version, await client.agentJson<ApiResourceList>(agentId, { path: `/apis/${g.name}/${version}`, impersonation, signal })));
      } catch {
        if (signal?.aborted) return;
      }
    }
  };
  await Promise.all(Array.from({ length: DISCOVERY_CONCURRENCY }, worker));
  return found.sort((a, b) => a.kind.localeCompare(b.kind) || a.group.localeCompare(b.group));
}
