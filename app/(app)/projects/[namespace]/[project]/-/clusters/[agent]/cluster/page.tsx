// The agent's Cluster (live view) tab.
import { headers } from "next/headers";
import { earlyStreamScript } from "@/components/cluster/early-stream";
import { LiveView } from "@/components/cluster/live-view";
import { liveStreamUrl, viewStreamPaths } from "@/components/cluster/live-paths";
import { KINDS } from "@/components/cluster/kinds";
import { tableSeed } from "@/components/cluster/table-seed";
import { existingClusterCache, viewerIdentity } from "@/lib/cluster-cache/web";
import { recentlyInContact } from "@/lib/agents/status";
import { db } from "@/lib/db/client";
import { NONCE_HEADER } from "@/lib/web-security";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("cluster");

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AgentClusterPage({
  params,
  searchParams,
}: {
  params: Promise<AgentParams>;
  searchParams: Promise<SearchParams>;
}) {
  const { user, agent, path } = await visibleAgent(params);
  // How the viewer sees the cluster decides what the view says when the cluster's RBAC refuses them.
  const { viaUserAccess, impersonation } = await viewerIdentity(db(), user, agent.id);
  // The stream the view will open, asked for by the HTML itself so the snapshot is on its way while the
  // page's scripts load (components/cluster/early-stream.ts); a custom resource's view waits for discovery.
  const query = await searchParams;
  const paths = viewStreamPaths({
    kind: one(query.kind),
    namespace: one(query.namespace),
    selector: one(query.selector),
  });
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  // Not for an agent that has not been in touch lately: its stream would wait for it (20 s) for nothing, and
  // the page's own stream says what is wrong as before.
  const early = recentlyInContact(agent);
  // A table whose collections this process's cluster cache holds already (another viewer, or a visit within
  // the cache's linger time) shows its first rows in this HTML; otherwise the page waits for the stream.
  const kind = KINDS.find((k) => k.key === one(query.kind));
  const cache = existingClusterCache();
  const seed =
    paths && kind && cache
      ? tableSeed(
          paths,
          paths.map((path) => cache.peek({ agentId: agent.id, path, impersonation })),
          kind,
          { q: one(query.q) ?? "", status: one(query.status) ?? "", sort: one(query.sort) ?? "" },
        )
      : null;
  return (
    <>
      {paths && early ? (
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: earlyStreamScript(liveStreamUrl(agent.id, paths)) }} />
      ) : null}
      <LiveView
        agentId={agent.id}
        seed={seed}
        place={{ tokensHref: agentTabPath(path, "tokens"), sharingHref: agentTabPath(path, "sharing"), viaUserAccess }}
      />
    </>
  );
}
