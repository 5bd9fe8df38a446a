// What else the cluster serves: the core group's resources (/api/v1) and, for each group under /apis, its
// preferred version's resources that one can list and watch (custom resources included), with each custom
// resource's printer columns from its CRD, all as the viewer's identity sees them.
import { z } from "zod";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import type { TunnelClient } from "@/lib/tunnel-client";

export interface DiscoveredResource {
  group: string;
  version: string;
  /** The plural name in the API path, e.g. helmreleases. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** kubectl's short names for it (`cm`, `hr`), when the cluster gives any: the kind picker finds it by them. */
  shortNames?: string[];
  /** A custom resource's additionalPrinterColumns for this version (priority 0, as `kubectl get` shows). */
  columns?: PrinterColumn[];
}

/** One of a CRD's additionalPrinterColumns: a simple JSONPath into the object and how to show its value. */
export interface PrinterColumn {
  name: string;
  type: "integer" | "number" | "string" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  format?: string;
}

interface ApiGroupList {
  groups: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[];
}

/** The part of a CRD list the view reads, parsed (it comes from the cluster): unknown column types read as strings. */
const crdList = z.object({
  items: z.array(
    z.object({
      spec: z.object({
        group: z.string(),
        names: z.object({ plural: z.string() }),
        versions: z
          .array(
            z.object({
              name: z.string(),
              served: z.boolean().optional(),
              additionalPrinterColumns: z
                .array(
                  z.object({
                    name: z.string(),
                    type: z.enum(["integer", "number", "string", "boolean", "date"]).catch("string"),
                    jsonPath: z.string(),
                    description: z.string().optional(),
                    format: z.string().optional(),
                    priority: z.number().optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      }),
    }),
  ),
});

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[] }[];
}

/** Listable, watchable top-level resources of one group version (no subresources such as pods/log). */
export function listableResources(group: string, version: string, list: ApiResourceList): DiscoveredResource[] {
  return list.resources
    .filter((r) => !r.name.includes("/") && r.verbs?.includes("list") && r.verbs.includes("watch"))
    .map((r) => ({
      group,
      version,
      resource: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      ...(r.shortNames?.length ? { shortNames: r.shortNames.filter((n) => typeof n === "string") } : {}),
    }));
}

/** Group versions asked at once: a cluster with many operators must not take every tunnel stream. */
export const DISCOVERY_CONCURRENCY = 6;

/** Printer columns by "<plural>.<group>/<version>", from served versions; `kubectl get` shows priority 0 only. */
export function printerColumnsOf(body: unknown): Map<string, PrinterColumn[]> {
  const out = new Map<string, PrinterColumn[]>();
  const crds = crdList.safeParse(body);
  if (!crds.success) return out;
  for (const { spec } of crds.data.items) {
    for (const v of spec.versions ?? []) {
      const columns = (v.additionalPrinterColumns ?? [])
        .filter((c) => !c.priority)
        .map(({ name, type, jsonPath, description, format }) => ({
          name,
          type,
          jsonPath,
          ...(description ? { description } : {}),
          ...(format ? { format } : {}),
        }));
      if (v.served !== false && columns.length) out.set(`${spec.names.plural}.${spec.group}/${v.name}`, columns);
    }
  }
  return out;
}

/**
 * A group version that cannot be read (an unavailable aggregated API, RBAC) is left out, not fatal. CRDs
 * the viewer may not read leave their resources without printer columns (the table shows Ready instead).
 */
export async function discoverResources(
  client: Pick<TunnelClient, "agentJson">,
  agentId: string,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<DiscoveredResource[]> {
  const ask = <T>(path: string) => client.agentJson<T>(agentId, { path, impersonation, signal });
  const [groups, columns] = await Promise.all([
    ask<ApiGroupList>("/apis"),
    ask<unknown>("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").then(
      printerColumnsOf,
      () => new Map<string, PrinterColumn[]>(),
    ),
  ]);
  // The core group first (its path is /api/v1), then every group's preferred version.
  const pending = [{ group: "", version: "v1", path: "/api/v1" }];
  for (const g of groups.groups) {
    const version = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (version) pending.push({ group: g.name, version, path: `/apis/${g.name}/${version}` });
  }
  const found: DiscoveredResource[] = [];
  const worker = async () => {
    for (let g = pending.shift(); g; g = pending.shift()) {
      try {
        found.push(...listableResources(g.group, g.version, await ask<ApiResourceList>(g.path)));
      } catch {
        if (signal?.aborted) return;
      }
    }
  };
  await Promise.all(Array.from({ length: DISCOVERY_CONCURRENCY }, worker));
  return found
    .map((r) => {
      const c = columns.get(`${r.resource}.${r.group}/${r.version}`);
      return c ? { ...r, columns: c } : r;
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.group.localeCompare(b.group));
}
