// The fleet view's filters and sort order, read with zod from the page's URL or the REST route's query
// string (a bad value is reported naming the field, never silently ignored), and the pure functions that
// apply them, so the route, the page and the tests filter and sort the same way.
import { z } from "zod";
import { Invalid } from "@/lib/errors";
import type { FleetAgent } from "./types";

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

/** A filter switched on in the URL: `?unsupported=1` (or `true`). */
const flag = optional(
  z.enum(["1", "true", "0", "false"], { message: "Write 1 to switch this filter on, 0 or nothing for off" }),
).transform((v) => v === "1" || v === "true");

export const FLEET_SORT_KEYS = [
  "agent",
  "project",
  "status",
  "agentVersion",
  "kubernetesVersion",
  "lastContact",
] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];

export const fleetQuerySchema = z.object({
  /** Only agents that are not connected now (also those that never connected). */
  not_connected: flag,
  /** Only agents whose cluster runs a Kubernetes version outside the support policy. */
  unsupported: flag,
  /** Only agents whose version differs from kas's (older or newer). */
  skew: flag,
  /** Agent or project name contains this (case-insensitive). */
  q: optional(z.string().trim().toLowerCase().max(100, "Search is too long (at most 100 characters)")),
  sort: optional(z.enum(FLEET_SORT_KEYS, { message: `Sort by one of: ${FLEET_SORT_KEYS.join(", ")}` })),
  dir: optional(z.enum(["asc", "desc"], { message: "Sort direction is asc or desc" })),
});

export type FleetQuery = z.infer<typeof fleetQuerySchema>;

const KEYS = ["not_connected", "unsupported", "skew", "q", "sort", "dir"] as const;

/** The query in a page's searchParams or a URLSearchParams; Invalid naming the field when a value is wrong. */
export function parseFleetQuery(params: Record<string, string | string[] | undefined> | URLSearchParams): FleetQuery {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? (params.get(k) ?? undefined) : params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const r = fleetQuerySchema.safeParse(Object.fromEntries(KEYS.map((k) => [k, get(k)])));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Invalid(issue?.message ?? "Invalid filter", issue?.path.join("."));
  }
  return r.data;
}

/** The query as a query string (without "?"), leaving out what is off or default. */
export function fleetQueryString(q: FleetQuery): string {
  const p = new URLSearchParams();
  if (q.not_connected) p.set("not_connected", "1");
  if (q.unsupported) p.set("unsupported", "1");
  if (q.skew) p.set("skew", "1");
  if (q.q) p.set("q", q.q);
  if (q.sort) p.set("sort", q.sort);
  if (q.sort && q.dir) p.set("dir", q.dir);
  return p.toString();
}

export function isFleetFiltered(q: FleetQuery): boolean {
  return q.not_connected || q.unsupported || q.skew || Boolean(q.q);
}

/** The agents every switched-on filter keeps (filters narrow together). */
export function filterFleetAgents(agents: readonly FleetAgent[], q: FleetQuery): FleetAgent[] {
  return agents.filter(
    (a) =>
      (!q.not_connected || a.status !== "connected") &&
      (!q.unsupported || a.support.status === "unsupported") &&
      (!q.skew || a.versionSkew !== null) &&
      (!q.q || a.name.toLowerCase().includes(q.q) || a.project.fullPath.toLowerCase().includes(q.q)),
  );
}

const STATUS_ORDER = { connected: 0, not_connected: 1, never_connected: 2 } as const;

/** "v1.33.4-gke.1" → [1, 33, 4]; "0.1.0" → [0, 1, 0]; unreadable → null (sorted last). */
function versionParts(v: string | null): number[] | null {
  const m = v ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

function compareParts(x: number[] | null, y: number[] | null): number {
  if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * Sorted by `sort` (default: by project, then agent name), `dir` ascending unless told. Missing values
 * (no version, never contacted) stay last in either direction; ties fall back to project and agent name.
 */
export function sortFleetAgents(agents: readonly FleetAgent[], q: Pick<FleetQuery, "sort" | "dir">): FleetAgent[] {
  const sign = q.dir === "desc" ? -1 : 1;
  const byName = (a: FleetAgent, b: FleetAgent) =>
    a.project.fullPath.localeCompare(b.project.fullPath) || a.name.localeCompare(b.name);
  const primary = (a: FleetAgent, b: FleetAgent): number => {
    switch (q.sort) {
      case "agent":
        return sign * (a.name.localeCompare(b.name) || a.project.fullPath.localeCompare(b.project.fullPath));
      case "status":
        return sign * (STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
      case "agentVersion":
      case "kubernetesVersion": {
        const x = versionParts(a[q.sort]);
        const y = versionParts(b[q.sort]);
        if (!x || !y) return compareParts(x, y);
        return sign * compareParts(x, y);
      }
      case "lastContact": {
        const x = a.lastContactAt ? Date.parse(a.lastContactAt) : null;
        const y = b.lastContactAt ? Date.parse(b.lastContactAt) : null;
        if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
        return sign * (x - y);
      }
      case "project":
      case undefined:
        return sign * byName(a, b);
    }
  };
  return [...agents].sort((a, b) => primary(a, b) || byName(a, b));
}
