// The cluster's other resources (core ones such as PersistentVolumeClaims, and custom resources), from
// GET /api/agents/:id/discovery, as kinds the live view can show in a generic table: a custom resource's
// printer columns when its CRD has them, else its Ready condition when present.
import type { DiscoveredResource } from "@/lib/cluster-cache";
import { KINDS, readyText, type Kind } from "./kinds";
import { printerColumnValue, tableColumns } from "./printer-columns";

/** Flux's kinds lead the list: they are what most people look for first. */
const FLUX = /\.toolkit\.fluxcd\.io$/;

export function customKind(r: DiscoveredResource): Kind {
  // The core group lives at /api/v1; its kinds are keyed "core/v1/<resource>".
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const columns = tableColumns(r.columns ?? []);
  return {
    key: `${r.group || "core"}/${r.version}/${r.resource}`,
    label: r.group ? `${r.kind} (${r.group})` : r.kind,
    noun: { one: r.kind, other: r.resource },
    namespaced: r.namespaced,
    path: (ns) => (r.namespaced && ns ? `${base}/namespaces/${ns}/${r.resource}` : `${base}/${r.resource}`),
    status: readyText,
    names: { kind: r.kind, resource: r.resource, group: r.group, shortNames: r.shortNames ?? [] },
    ...(columns.length
      ? { columns: columns.map((c) => ({ name: c.name, value: (o, now) => printerColumnValue(o, c, now) })) }
      : {}),
  };
}

/** Discovered resources as kinds, minus those the view already offers, Flux first, then by label. */
export function customKinds(resources: DiscoveredResource[]): Kind[] {
  const builtIn = new Set(KINDS.map((k) => k.path(null)));
  return resources
    .filter((r) => !builtIn.has(customKind(r).path(null)))
    .sort(
      (a, b) =>
        Number(FLUX.test(b.group)) - Number(FLUX.test(a.group)) ||
        a.kind.localeCompare(b.kind) ||
        a.group.localeCompare(b.group),
    )
    .map(customKind);
}
