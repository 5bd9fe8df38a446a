// The kinds the live view offers, with the API collection for a namespace (or all) and its columns.
import { countContainers, type ContainerCounts } from "@/lib/cluster-cache/summary";
import { plural } from "@/components/ui/plural";
import {
  cronJobWide,
  deploymentWide,
  eventWide,
  ingressWide,
  jobWide,
  nodeWide,
  podWide,
  serviceWide,
  templateWide,
} from "./wide-columns";
import { ageOf, num } from "./values";

export { ageOf, num };
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
  /** The noun a count uses: "1 pod", "2 pods". */
  noun: { one: string; other: string };
  namespaced: boolean;
  path: (namespace: string | null) => string;
  /** Short status text for the table. */
  status: (o: KubeItem) => string;
  /** The status column's heading when "Status" says less (a Service's type, a Deployment's ready count). */
  statusLabel?: string;
  /** Columns shown instead of Status (a custom resource's printer columns). */
  columns?: { name: string; value: (o: KubeItem, now: number) => string }[];
  /** Columns shown after Status (a Pod's READY, RESTARTS and NODE, as kubectl prints them). */
  extraColumns?: { name: string; value: (o: KubeItem, now: number) => string }[];
  /** A discovered kind's names as the cluster gives them, for the kind picker's search. */
  names?: { kind: string; resource: string; group: string; shortNames: string[] };
}

/** A pod's containers counted: the cache's summary carries them; a whole Pod object is counted here. */
function podContainers(o: KubeItem): ContainerCounts {
  const c = o.status?.containers as ContainerCounts | undefined;
  return (
    c ??
    countContainers(
      Array.isArray(o.status?.containerStatuses)
        ? (o.status.containerStatuses as Parameters<typeof countContainers>[0])
        : [],
      Array.isArray(o.spec?.containers) ? o.spec.containers.length : undefined,
    )
  );
}

const podColumns: NonNullable<Kind["extraColumns"]> = [
  {
    name: "Ready",
    value: (o) => {
      const c = podContainers(o);
      return `${c.ready}/${c.total}${c.reason ? ` ${c.reason}` : ""}`;
    },
  },
  { name: "Restarts", value: (o) => String(podContainers(o).restarts) },
  { name: "Node", value: (o) => String(o.spec?.nodeName ?? "") },
];

const core = (resource: string) => (ns: string | null) =>
  ns ? `/api/v1/namespaces/${ns}/${resource}` : `/api/v1/${resource}`;
const apps = (resource: string) => (ns: string | null) =>
  ns ? `/apis/apps/v1/namespaces/${ns}/${resource}` : `/apis/apps/v1/${resource}`;

const batch = (resource: string) => (ns: string | null) =>
  ns ? `/apis/batch/v1/namespaces/${ns}/${resource}` : `/apis/batch/v1/${resource}`;
const networking = (resource: string) => (ns: string | null) =>
  ns ? `/apis/networking.k8s.io/v1/namespaces/${ns}/${resource}` : `/apis/networking.k8s.io/v1/${resource}`;

const replicas = (o: KubeItem) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)} ready`;

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function conditionsOf(o: KubeItem): Condition[] {
  const c = o.status?.conditions;
  return Array.isArray(c) ? (c as Condition[]).filter((x) => x && typeof x.type === "string") : [];
}

/** "Ready", "Not ready: <reason>", or "" when the object has no Ready condition (Flux and most operators do). */
export function readyText(o: KubeItem): string {
  const ready = conditionsOf(o).find((c) => c.type === "Ready");
  if (!ready) return "";
  if (ready.status === "True") return "Ready";
  if (ready.status === "Unknown") return ready.reason || "Unknown";
  return `Not ready${ready.reason ? `: ${ready.reason}` : ""}`;
}

export function daemonSetStatus(o: KubeItem): string {
  return `${num(o.status?.numberReady)}/${num(o.status?.desiredNumberScheduled)} ready`;
}

export function jobStatus(o: KubeItem): string {
  const conditions = conditionsOf(o);
  if (conditions.some((c) => (c.type === "Complete" || c.type === "SuccessCriteriaMet") && c.status === "True"))
    return `Complete ${num(o.status?.succeeded)}/${num(o.spec?.completions) || 1}`;
  if (conditions.some((c) => c.type === "Failed" && c.status === "True")) return "Failed";
  if (o.spec?.suspend === true) return "Suspended";
  return `Running ${num(o.status?.succeeded)}/${num(o.spec?.completions) || 1}${num(o.status?.failed) ? `, ${num(o.status?.failed)} failed` : ""}`;
}

export function cronJobStatus(o: KubeItem): string {
  const schedule = String(o.spec?.schedule ?? "");
  if (o.spec?.suspend === true) return `${schedule} (suspended)`;
  const active = Array.isArray(o.status?.active) ? (o.status.active as unknown[]).length : 0;
  return `${schedule}${active ? `, ${active} active` : ""}`;
}

export function ingressStatus(o: KubeItem): string {
  const rules = Array.isArray(o.spec?.rules) ? (o.spec.rules as { host?: string }[]) : [];
  const hosts = rules.map((r) => r.host ?? "*").join(", ") || "*";
  const lb = ((o.status?.loadBalancer as { ingress?: { ip?: string; hostname?: string }[] } | undefined)?.ingress ?? [])
    .map((i) => i.ip ?? i.hostname)
    .filter(Boolean);
  return lb.length ? `${hosts} → ${lb.join(", ")}` : hosts;
}

export function nodeStatus(o: KubeItem): string {
  return conditionsOf(o).find((c) => c.type === "Ready")?.status === "True" ? "Ready" : "NotReady";
}

/** Pods first (the table's default), then workloads, networking, configuration, and the cluster itself. */
export const KINDS: Kind[] = [
  {
    key: "pods",
    label: "Pods",
    noun: { one: "pod", other: "pods" },
    namespaced: true,
    path: core("pods"),
    status: (o) => String(o.status?.phase ?? "Unknown"),
    extraColumns: [...podColumns, ...podWide],
  },
  {
    key: "deployments",
    label: "Deployments",
    noun: { one: "deployment", other: "deployments" },
    namespaced: true,
    path: apps("deployments"),
    status: replicas,
    statusLabel: "Ready",
    extraColumns: deploymentWide,
  },
  {
    key: "statefulsets",
    label: "StatefulSets",
    noun: { one: "StatefulSet", other: "StatefulSets" },
    namespaced: true,
    path: apps("statefulsets"),
    status: replicas,
    statusLabel: "Ready",
    extraColumns: templateWide,
  },
  {
    key: "daemonsets",
    label: "DaemonSets",
    noun: { one: "DaemonSet", other: "DaemonSets" },
    namespaced: true,
    path: apps("daemonsets"),
    status: daemonSetStatus,
    statusLabel: "Ready",
    extraColumns: templateWide,
  },
  {
    key: "replicasets",
    label: "ReplicaSets",
    noun: { one: "ReplicaSet", other: "ReplicaSets" },
    namespaced: true,
    path: apps("replicasets"),
    status: replicas,
    statusLabel: "Ready",
    extraColumns: templateWide,
  },
  {
    key: "jobs",
    label: "Jobs",
    noun: { one: "job", other: "jobs" },
    namespaced: true,
    path: batch("jobs"),
    status: jobStatus,
    extraColumns: jobWide,
  },
  {
    key: "cronjobs",
    label: "CronJobs",
    noun: { one: "CronJob", other: "CronJobs" },
    namespaced: true,
    path: batch("cronjobs"),
    status: cronJobStatus,
    statusLabel: "Schedule",
    extraColumns: cronJobWide,
  },
  {
    key: "services",
    label: "Services",
    noun: { one: "service", other: "services" },
    namespaced: true,
    path: core("services"),
    status: (o) => String(o.spec?.type ?? ""),
    statusLabel: "Type",
    extraColumns: serviceWide,
  },
  {
    key: "ingresses",
    label: "Ingresses",
    noun: { one: "ingress", other: "ingresses" },
    namespaced: true,
    path: networking("ingresses"),
    status: ingressStatus,
    statusLabel: "Hosts",
    extraColumns: ingressWide,
  },
  {
    key: "configmaps",
    label: "ConfigMaps",
    noun: { one: "ConfigMap", other: "ConfigMaps" },
    namespaced: true,
    path: core("configmaps"),
    status: (o) => plural(Object.keys(o.data ?? {}).length, "key"),
  },
  {
    key: "secrets",
    label: "Secrets",
    noun: { one: "secret", other: "secrets" },
    namespaced: true,
    path: core("secrets"),
    status: (o) => `${plural(Object.keys(o.data ?? {}).length, "key")} (values hidden)`,
  },
  {
    key: "events",
    label: "Events",
    noun: { one: "event", other: "events" },
    namespaced: true,
    path: core("events"),
    status: (o) => `${String(o.type ?? "")} ${String(o.reason ?? "")}`.trim(),
    statusLabel: "Type and reason",
    extraColumns: eventWide,
  },
  {
    key: "nodes",
    label: "Nodes",
    noun: { one: "node", other: "nodes" },
    namespaced: false,
    path: () => "/api/v1/nodes",
    status: nodeStatus,
    extraColumns: nodeWide,
  },
  {
    key: "namespaces",
    label: "Namespaces",
    noun: { one: "namespace", other: "namespaces" },
    namespaced: false,
    path: () => "/api/v1/namespaces",
    status: (o) => String(o.status?.phase ?? ""),
  },
];
