// The cluster's other resources (custom resources included), from GET /api/agents/:id/discovery, as
// kinds the live view can show in a generic table whose status is the Ready condition when present.
import type { DiscoveredResource } from "@/lib/cluster-cache";
import { KINDS, readyText, type Kind } from "./kinds";

/** Flux's kinds lead the list: they are what most people look for first. */
const FLUX = /\.toolkit\.fluxcd\.io$/;

export function customKind(r: DiscoveredResource): Kind {
  const base = `/apis/${r.group}/${r.version}`;
  return {
    key: `${r.group}/${r.version}/${r.resource}`,
    label: r.group ? `${r.kind} (${r.group})` : r.kind,
    namespaced: r.namespaced,
    path: (ns) => (r.namespaced && ns ? `${base}/namespaces/${ns}/${r.resource}` : `${base}/${r.resource}`),
    status: readyText,
  };
}

/** Discovered resources as kinds, minus those the view already offers, Flux first, then by label. */
export function customKinds(resources: DiscoveredResource[]): Kind[] {
  const builtIn = new Set(KINDS.map((k) => k.path(null)));
  return resources
    .filter((r) => !builtIn.has(customKind(r).path(null)))
    .sort((a, b) => Number(FLUX.test(b.group)) - Number(FLUX.test(a.group)) || a.kind.localeCompare(b.kind) || a.group.localeCompare(b.group))
    .map(customKind);
}
