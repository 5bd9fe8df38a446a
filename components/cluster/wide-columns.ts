// The columns `kubectl get <kind> -o wide` prints, per kind, for the live tables (after Status). Pure
// functions of an object (or the cache's pod summary), so each is tested without a cluster.
import type { KubeItem } from "./kinds";
import { ageOf, num } from "./values";

export interface Column {
  name: string;
  value: (o: KubeItem, now: number) => string;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const none = (s: string) => s || "<none>";

/** The images of a pod template's (or a pod's) containers, comma-separated. */
function templateImages(podSpec: unknown): string {
  const containers = list((podSpec as { containers?: unknown } | undefined)?.containers);
  return containers.map((c) => str((c as { image?: unknown }).image)).join(",");
}

/** A pod's images: the summary's list, or the whole pod's containers. */
export function podImages(o: KubeItem): string {
  const images = o.spec?.images;
  return Array.isArray(images) ? images.map(str).join(",") : templateImages(o.spec);
}

/** "ReplicaSet/web-6d4cf56db6": the controller an object belongs to, as `kubectl describe` names it. */
export function controlledBy(o: KubeItem): string {
  const owners = list((o.metadata as { ownerReferences?: unknown }).ownerReferences) as {
    kind?: string;
    name?: string;
    controller?: boolean;
  }[];
  const owner = owners.find((r) => r.controller) ?? owners[0];
  return owner?.kind && owner.name ? `${owner.kind}/${owner.name}` : "";
}

const images: Column = { name: "Images", value: (o) => templateImages((o.spec?.template as { spec?: unknown })?.spec) };

export const podWide: Column[] = [
  { name: "IP", value: (o) => str(o.status?.podIP) },
  { name: "Images", value: podImages },
  { name: "Controlled by", value: controlledBy },
];

export const deploymentWide: Column[] = [
  { name: "Up-to-date", value: (o) => String(num(o.status?.updatedReplicas)) },
  { name: "Available", value: (o) => String(num(o.status?.availableReplicas)) },
  images,
];

export const templateWide: Column[] = [images];

/** PORT(S) as kubectl prints them: 80/TCP, 443:30443/TCP. */
export function servicePorts(o: KubeItem): string {
  const ports = list(o.spec?.ports) as { port?: number; nodePort?: number; protocol?: string }[];
  return none(
    ports.map((p) => `${p.port ?? ""}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`).join(","),
  );
}

/** EXTERNAL-IP as kubectl prints it: the load balancer's addresses, external IPs, or <none> / <pending>. */
export function serviceExternalIp(o: KubeItem): string {
  const lb = list((o.status?.loadBalancer as { ingress?: unknown } | undefined)?.ingress) as {
    ip?: string;
    hostname?: string;
  }[];
  const ips = [...lb.map((i) => i.ip ?? i.hostname ?? ""), ...list(o.spec?.externalIPs).map(str)].filter(Boolean);
  if (ips.length) return ips.join(",");
  if (o.spec?.type === "ExternalName") return str(o.spec?.externalName);
  return o.spec?.type === "LoadBalancer" ? "<pending>" : "<none>";
}

export const serviceWide: Column[] = [
  { name: "Cluster IP", value: (o) => none(str(o.spec?.clusterIP)) },
  { name: "External IP", value: serviceExternalIp },
  { name: "Ports", value: servicePorts },
];

/** ROLES as kubectl prints them, from node-role.kubernetes.io/<role> labels. */
export function nodeRoles(o: KubeItem): string {
  const labels = (o.metadata as { labels?: Record<string, string> }).labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length))
    .filter(Boolean)
    .sort();
  return none(roles.join(","));
}

function nodeAddress(o: KubeItem, type: string): string {
  const addresses = list(o.status?.addresses) as { type?: string; address?: string }[];
  return addresses.find((a) => a.type === type)?.address ?? "";
}

export const nodeWide: Column[] = [
  { name: "Roles", value: nodeRoles },
  {
    name: "Version",
    value: (o) => str((o.status?.nodeInfo as { kubeletVersion?: string } | undefined)?.kubeletVersion),
  },
  { name: "Internal IP", value: (o) => none(nodeAddress(o, "InternalIP")) },
  {
    name: "Taints",
    value: (o) =>
      none(
        (list(o.spec?.taints) as { key?: string; value?: string; effect?: string }[])
          .map((t) => `${t.key ?? ""}${t.value ? `=${t.value}` : ""}:${t.effect ?? ""}`)
          .join(","),
      ),
  },
  {
    name: "Capacity",
    value: (o) => {
      const c = (o.status?.capacity ?? {}) as Record<string, string>;
      return [c.cpu ? `${c.cpu} CPU` : "", c.memory ?? "", c.pods ? `${c.pods} pods` : ""].filter(Boolean).join(", ");
    },
  },
];

export const cronJobWide: Column[] = [
  { name: "Suspend", value: (o) => (o.spec?.suspend === true ? "True" : "False") },
  { name: "Active", value: (o) => String(list(o.status?.active).length) },
  {
    name: "Last schedule",
    value: (o, now) => (o.status?.lastScheduleTime ? ageOf(str(o.status.lastScheduleTime), now) : "<none>"),
  },
];

export const jobWide: Column[] = [
  {
    name: "Duration",
    value: (o, now) => {
      const start = str(o.status?.startTime);
      if (!start) return "";
      const end = str(o.status?.completionTime);
      return ageOf(start, end ? Date.parse(end) : now);
    },
  },
  images,
];

export const ingressWide: Column[] = [
  { name: "Class", value: (o) => none(str(o.spec?.ingressClassName)) },
  {
    name: "Ports",
    value: (o) => (list(o.spec?.tls).length ? "80, 443" : "80"),
  },
];

/** What an event is about, as kubectl prints OBJECT: kind/name. */
export function eventObject(o: KubeItem): string {
  const r = (o.involvedObject ?? o.regarding) as { kind?: string; name?: string } | undefined;
  return r?.kind && r.name ? `${r.kind.toLowerCase()}/${r.name}` : "";
}

export const eventWide: Column[] = [
  {
    name: "Last seen",
    value: (o, now) =>
      ageOf(str(o.lastTimestamp) || str(o.eventTime) || o.metadata.creationTimestamp || undefined, now),
  },
  { name: "Object", value: eventObject },
  { name: "Message", value: (o) => str(o.message) },
  {
    name: "Count",
    value: (o) => String(num(o.count) || num((o.series as { count?: number } | undefined)?.count) || 1),
  },
];
