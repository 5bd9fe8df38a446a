// The web process's one cluster cache, and who a signed-in viewer is in an agent's cluster.
import { randomBytes } from "node:crypto";
import { findVisibleAgent, impersonationFor, type Actor, type Impersonation } from "@/lib/access";
import { userAccessGrant } from "@/lib/kubectl-access";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { tunnelClient } from "@/lib/tunnel-client/web";
import type { Registry } from "prom-client";
import { ClusterCache } from "./cache";
import { registerCacheMetrics } from "./metrics";

const g = globalThis as unknown as {
  tetherClusterCache?: ClusterCache;
  tetherCacheEpoch?: string;
  tetherCacheMetrics?: Registry;
};

export function clusterCache(): ClusterCache {
  g.tetherClusterCache ??= new ClusterCache(tunnelClient());
  return g.tetherClusterCache;
}

/**
 * The cache if a live stream has made it, without making one: what a page's server component reads (the
 * Cluster tab's first rows, from what is warm in it). A page must not make the cache: Next.js bundles pages
 * and route handlers apart, each with its own copy of these modules, so a cache made by a page would throw
 * its own copy's UpstreamStatusError, which the live route's `instanceof` checks would not recognise.
 */
export function existingClusterCache(): Pick<ClusterCache, "peek"> | null {
  return g.tetherClusterCache ?? null;
}

/** The registry, with the cache's metrics registered once (they read zero until a page opens a stream). */
export function withCacheMetrics(registry: Registry): Registry {
  if (g.tetherCacheMetrics !== registry) {
    registerCacheMetrics(registry, () => g.tetherClusterCache?.stats());
    g.tetherCacheMetrics = registry;
  }
  return registry;
}

/** Names this process's collections in event ids: an id from before a restart means "send a snapshot". */
export function cacheEpoch(): string {
  g.tetherCacheEpoch ??= randomBytes(4).toString("hex");
  return g.tetherCacheEpoch;
}

/**
 * As whom a signed-in user sees an agent's cluster: what the agent's user_access grants them, else (for
 * members of the agent's own project) themselves, impersonated; the cluster's RBAC decides what that
 * shows (`viaUserAccess` says which, so a refused page can say how to be let in). Anyone else: NotFound.
 */
export async function viewerIdentity(
  db: Db,
  actor: Actor & { username: string },
  agentId: string,
): Promise<{
  impersonation: (Impersonation & { uid: string; extra: Record<string, never> }) | undefined;
  viaUserAccess: boolean;
}> {
  const grant = await userAccessGrant(db, actor, agentId);
  if (grant)
    return {
      impersonation: grant.impersonation ? { ...grant.impersonation, uid: "", extra: {} } : undefined,
      viaUserAccess: true,
    };
  const { agent } = await findVisibleAgent(db, actor, agentId).catch(() => {
    throw new NotFound("Agent");
  });
  const asUser = impersonationFor("user", {
    type: "user",
    username: actor.username,
    projectIds: [agent.projectId],
    groupIds: [],
  });
  return { impersonation: { ...asUser, uid: "", extra: {} }, viaUserAccess: false };
}
