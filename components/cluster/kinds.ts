// The kinds the live view offers, with the API collection for a namespace (or all) and its columns.
export interface KubeItem {
  metadata: { name: string; namespace?: string; uid?: string; creationTimestamp?: string; resourceVersion?: string };
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [k: string]: unknown;
}

export interface Kind {
  key: string;
  label: string;
  namespaced: boolean;
  path: (namespace: string | null) => string;
  /** Short status text for the table. */
  status: (o: KubeItem) => string;
}

const core = (resource: string) => (ns: string | null) => (ns ? `/api/v1/namespaces/${ns}/${resource}` : `/api/v1/${resource}`);
const apps = (resource: string) => (ns: string | null) => (ns ? `/apis/apps/v1/namespaces/${ns}/${resource}` : `/apis/apps/v1/${resource}`);

const replicas = (o: KubeItem) => `${(o.status?.readyReplicas as number | undefined) ?? 0}/${(o.spec?.replicas as number | undefined) ?? 0} ready`;

export const KINDS: Kind[] = [
  { key: "pods", label: "Pods", namespaced: true, path: core("pods"), status: (o) => String(o.status?.phase ?? "Unknown") },
  { key: "deployments", label: "Deployments", namespaced: true, path: apps("deployments"), status: replicas },
  { key: "statefulsets", label: "StatefulSets", namespaced: true, path: apps("statefulsets"), status: replicas },
  { key: "services", label: "Services", namespaced: true, path: core("services"), status: (o) => String(o.spec?.type ?? "") },
  { key: "configmaps", label: "ConfigMaps", namespaced: true, path: core("configmaps"), status: (o) => `${Object.keys(o.data ?? {}).length} keys` },
  { key: "secrets", label: "Secrets", namespaced: true, path: core("secrets"), status: (o) => `${Object.keys(o.data ?? {}).length} keys (values hidden)` },
  { key: "events", label: "Events", namespaced: true, path: core("events"), status: (o) => `${String(o.type ?? "")} ${String(o.reason ?? "")}`.trim() },
  { key: "nodes", label: "Nodes", namespaced: false, path: () => "/api/v1/nodes", status: (o) => ((o.status?.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === "Ready")?.status === "True" ? "Ready" : "NotReady") },
];

export function ageOf(iso: string | undefined, now: number): string {
  if (!iso) return "";
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
