// The kind picker's list, the pure part: every kind the view offers as an option with the names kubectl
// knows it by (kind, plural, short names, API group), sorted into sections (Workloads, Network, …), and
// the search that narrows them as one types ("deploy", "svc", "cm", "fluxcd").
import type { Kind } from "./kinds";

export const SECTIONS = [
  "Views",
  "Workloads",
  "Network",
  "Config and storage",
  "Access control",
  "Cluster",
  "Custom resources",
] as const;
export type Section = (typeof SECTIONS)[number];

export interface KindOption {
  /** The `kind=` value the option navigates to. */
  key: string;
  label: string;
  section: Section;
  /** kubectl's short names, shown beside the label ("deploy"). */
  shortNames: string[];
  /** Every name the search looks in, lower case: label, kind, plural, short names, API group. */
  terms: string[];
}

/** The built-in kinds' names as kubectl knows them (`kubectl api-resources`): kind, short names, group, section. */
const BUILT_IN: Record<string, { kind: string; shortNames: string[]; group: string; section: Section }> = {
  pods: { kind: "Pod", shortNames: ["po"], group: "", section: "Workloads" },
  deployments: { kind: "Deployment", shortNames: ["deploy"], group: "apps", section: "Workloads" },
  statefulsets: { kind: "StatefulSet", shortNames: ["sts"], group: "apps", section: "Workloads" },
  daemonsets: { kind: "DaemonSet", shortNames: ["ds"], group: "apps", section: "Workloads" },
  replicasets: { kind: "ReplicaSet", shortNames: ["rs"], group: "apps", section: "Workloads" },
  jobs: { kind: "Job", shortNames: [], group: "batch", section: "Workloads" },
  cronjobs: { kind: "CronJob", shortNames: ["cj"], group: "batch", section: "Workloads" },
  services: { kind: "Service", shortNames: ["svc"], group: "", section: "Network" },
  ingresses: { kind: "Ingress", shortNames: ["ing"], group: "networking.k8s.io", section: "Network" },
  configmaps: { kind: "ConfigMap", shortNames: ["cm"], group: "", section: "Config and storage" },
  secrets: { kind: "Secret", shortNames: [], group: "", section: "Config and storage" },
  events: { kind: "Event", shortNames: ["ev"], group: "", section: "Cluster" },
  nodes: { kind: "Node", shortNames: ["no"], group: "", section: "Cluster" },
  namespaces: { kind: "Namespace", shortNames: ["ns"], group: "", section: "Cluster" },
};

/** The core group's other resources, by plural. */
const CORE_SECTIONS: Record<string, Section> = {
  replicationcontrollers: "Workloads",
  podtemplates: "Workloads",
  endpoints: "Network",
  persistentvolumeclaims: "Config and storage",
  resourcequotas: "Config and storage",
  limitranges: "Config and storage",
  serviceaccounts: "Access control",
};

/** Kubernetes' own API groups, by name. */
const GROUP_SECTIONS: Record<string, Section> = {
  apps: "Workloads",
  batch: "Workloads",
  autoscaling: "Workloads",
  policy: "Workloads",
  "networking.k8s.io": "Network",
  "discovery.k8s.io": "Network",
  "gateway.networking.k8s.io": "Network",
  "storage.k8s.io": "Config and storage",
  "snapshot.storage.k8s.io": "Config and storage",
  "rbac.authorization.k8s.io": "Access control",
  "certificates.k8s.io": "Access control",
};

/** Where a discovered resource is listed: Kubernetes' own groups by what they are for, anything else is custom. */
export function sectionOf(group: string, resource: string): Section {
  if (!group) return CORE_SECTIONS[resource] ?? "Cluster";
  if (GROUP_SECTIONS[group]) return GROUP_SECTIONS[group];
  // Kubernetes' own groups have no dot (apps, batch) or end in .k8s.io; the rest come from CRDs or aggregated APIs.
  return !group.includes(".") || group.endsWith(".k8s.io") ? "Cluster" : "Custom resources";
}

const lower = (names: string[]) => [...new Set(names.filter(Boolean).map((n) => n.toLowerCase()))];

export const OVERVIEW_OPTION: KindOption = {
  key: "overview",
  label: "Overview",
  section: "Views",
  shortNames: [],
  terms: ["overview", "summary"],
};

export function kindOption(k: Kind): KindOption {
  const known = BUILT_IN[k.key];
  if (known)
    return {
      key: k.key,
      label: k.label,
      section: known.section,
      shortNames: known.shortNames,
      terms: lower([k.label, known.kind, k.key, ...known.shortNames, known.group]),
    };
  const n = k.names;
  return {
    key: k.key,
    label: k.label,
    section: n ? sectionOf(n.group, n.resource) : "Custom resources",
    shortNames: n?.shortNames ?? [],
    terms: lower(n ? [k.label, n.kind, n.resource, ...n.shortNames, n.group] : [k.label, k.key]),
  };
}

/** Every option: the Overview, the built-in kinds, then the discovered ones. */
export function kindOptions(builtIn: Kind[], discovered: Kind[]): KindOption[] {
  return [OVERVIEW_OPTION, ...builtIn.map(kindOption), ...discovered.map(kindOption)];
}

/**
 * How well one word of the query matches an option: 0 a name exactly ("deploy", "svc", "Deployment"),
 * 1 the start of a name or of a dotted part ("dep", "fluxcd" in source.toolkit.fluxcd.io), 2 anywhere in
 * a name, 3 only the section's name ("network"); null no match.
 */
function wordScore(o: KindOption, word: string): number | null {
  let best: number | null = null;
  for (const t of o.terms) {
    const s =
      t === word
        ? 0
        : t.startsWith(word) || t.split(/[.\s()]+/).some((p) => p.startsWith(word))
          ? 1
          : t.includes(word)
            ? 2
            : null;
    if (s !== null && (best === null || s < best)) best = s;
  }
  if (best === null && o.section.toLowerCase().includes(word)) best = 3;
  return best;
}

/** An option's score for a query (every word must match; the worst word counts); null when it does not match. */
export function matchScore(o: KindOption, query: string): number | null {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  let worst = 0;
  for (const w of words) {
    const s = wordScore(o, w);
    if (s === null) return null;
    worst = Math.max(worst, s);
  }
  return worst;
}

export interface KindSection {
  section: Section;
  options: KindOption[];
}

/**
 * The options a query leaves, in sections. Without a query: every option, sections in their fixed order.
 * With one: the best matches first, so the first option is what Enter picks ("deploy" → Deployments), and
 * each section follows its best option; within a section, better matches first, then the list's order.
 */
export function filterKinds(options: KindOption[], query: string): KindSection[] {
  const scored = options
    .map((o, i) => ({ o, i, s: matchScore(o, query) }))
    .filter((x): x is { o: KindOption; i: number; s: number } => x.s !== null);
  const bySection = new Map<Section, { o: KindOption; i: number; s: number }[]>();
  for (const x of scored) bySection.set(x.o.section, [...(bySection.get(x.o.section) ?? []), x]);
  const rank = (section: Section) => SECTIONS.indexOf(section);
  return [...bySection.entries()]
    .map(([section, xs]) => ({ section, xs: xs.sort((a, b) => a.s - b.s || a.i - b.i) }))
    .sort((a, b) => a.xs[0]!.s - b.xs[0]!.s || rank(a.section) - rank(b.section))
    .map(({ section, xs }) => ({ section, options: xs.map((x) => x.o) }));
}
