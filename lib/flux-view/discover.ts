// Which Flux kinds a cluster serves, and at which version (Flux's APIs moved from v1beta2 to v1 kind by
// kind, and a cluster may serve OCIRepository at v1beta2 beside GitRepository at v1), and the counts the
// project page shows. Everything is asked as the viewer: what their RBAC hides is not counted.
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import {
  FLUX_KINDS,
  countFlux,
  pickFluxVersions,
  type FluxCounts,
  type FluxKindName,
  type FluxObject,
  type ServedFluxKind,
} from "./flux-status";

type Client = Pick<TunnelClient, "agentJson">;

interface ApiGroup {
  preferredVersion?: { version: string };
  versions?: { version: string }[];
}
interface ApiResourceList {
  resources?: { name: string }[];
}

const GROUPS = [...new Set(FLUX_KINDS.map((k) => k.group))];

/** null on 404 (the group or version is not served); other failures (403, not connected) are thrown. */
async function ask<T>(
  client: Client,
  agentId: string,
  path: string,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<T | null> {
  try {
    return await client.agentJson<T>(agentId, { path, impersonation, signal });
  } catch (e) {
    if (e instanceof UpstreamStatusError && e.status === 404) return null;
    throw e;
  }
}

export interface FluxDiscovery {
  served: ServedFluxKind[];
  missing: FluxKindName[];
}

/** Asks /apis/<group> for each Flux group, then each served version's resources. */
export async function discoverFlux(
  client: Client,
  agentId: string,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<FluxDiscovery> {
  const groups = new Map<string, string[]>();
  const resources = new Map<string, string[]>();
  await Promise.all(
    GROUPS.map(async (group) => {
      const g = await ask<ApiGroup>(client, agentId, `/apis/${group}`, impersonation, signal);
      if (!g) return;
      const preferred = g.preferredVersion?.version;
      const versions = [...new Set([...(preferred ? [preferred] : []), ...(g.versions ?? []).map((v) => v.version)])];
      groups.set(group, versions);
      await Promise.all(
        versions.map(async (v) => {
          const list = await ask<ApiResourceList>(client, agentId, `/apis/${group}/${v}`, impersonation, signal);
          resources.set(
            `${group}/${v}`,
            (list?.resources ?? []).map((r) => r.name),
          );
        }),
      );
    }),
  );
  return pickFluxVersions(groups, resources);
}

export type FluxAgentSummary =
  | { installed: false }
  | (FluxCounts & {
      installed: true;
      byKind: { kind: FluxKindName; objects: number; notReady: number }[];
      refused: FluxKindName[];
    });

/** How many Flux objects the viewer sees in the cluster, and how many are not Ready, per kind and in all. */
export async function summarizeFlux(
  client: Client,
  agentId: string,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<FluxAgentSummary> {
  const { served } = await discoverFlux(client, agentId, impersonation, signal);
  if (served.length === 0) return { installed: false };
  const refused: FluxKindName[] = [];
  const byKind = await Promise.all(
    served.map(async (k) => {
      try {
        const list = await client.agentJson<{ items?: FluxObject[] }>(agentId, { path: k.path, impersonation, signal });
        return { kind: k.kind, ...countFlux(list.items ?? []) };
      } catch (e) {
        if (!(e instanceof UpstreamStatusError) || e.status !== 403) throw e;
        refused.push(k.kind);
        return { kind: k.kind, objects: 0, notReady: 0, suspended: 0 };
      }
    }),
  );
  const total = byKind.reduce(
    (a, k) => ({
      objects: a.objects + k.objects,
      notReady: a.notReady + k.notReady,
      suspended: a.suspended + k.suspended,
    }),
    { objects: 0, notReady: 0, suspended: 0 },
  );
  return {
    installed: true,
    ...total,
    byKind: byKind.map(({ kind, objects, notReady }) => ({ kind, objects, notReady })),
    refused,
  };
}
