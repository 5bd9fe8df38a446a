// What the GitOps tab and the project page say about a Flux object: its state from status.conditions
// (Ready / Reconciling / Stalled, as `flux get` and kstatus read them), its applied revision (short, linked
// to the commit when the source is on a known forge), when it last reconciled, whether a reconcile asked for
// is still waiting, and its latest Warning events. Pure and browser-safe: no Node imports, no server code.

/** The Flux kinds the tab shows, in its order, with their API group and plural. */
export const FLUX_KINDS = [
  { kind: "GitRepository", group: "source.toolkit.fluxcd.io", resource: "gitrepositories" },
  { kind: "OCIRepository", group: "source.toolkit.fluxcd.io", resource: "ocirepositories" },
  { kind: "HelmRepository", group: "source.toolkit.fluxcd.io", resource: "helmrepositories" },
  { kind: "Kustomization", group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations" },
  { kind: "HelmRelease", group: "helm.toolkit.fluxcd.io", resource: "helmreleases" },
] as const;
export type FluxKindName = (typeof FLUX_KINDS)[number]["kind"];

/** One Flux kind as this cluster serves it: the version picked, and the cluster-wide collection path. */
export interface ServedFluxKind {
  kind: FluxKindName;
  group: string;
  version: string;
  resource: string;
  /** e.g. /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations */
  path: string;
}

/** Where Flux's installation is documented (the page links it when the CRDs are absent). */
export const FLUX_INSTALL_DOCS = "https://fluxcd.io/flux/installation/";

/** The annotation `flux reconcile` sets; the controller copies the value to status.lastHandledReconcileAt. */
export const RECONCILE_ANNOTATION = "reconcile.fluxcd.io/requestedAt";

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** The part of a Flux object the tab reads. */
export interface FluxObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    creationTimestamp?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export type FluxState = "Ready" | "Not ready" | "Reconciling" | "Stalled" | "Unknown";

export interface FluxSummary {
  state: FluxState;
  /** The deciding condition's reason and message ("" when none). */
  reason: string;
  message: string;
  suspended: boolean;
}

export function conditionsOf(o: FluxObject): Condition[] {
  const raw = o.status?.conditions;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (c): c is Condition =>
      !!c &&
      typeof c === "object" &&
      typeof (c as Condition).type === "string" &&
      typeof (c as Condition).status === "string",
  );
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * The object's state, as Flux's own conditions say it: Stalled=True wins (the controller gave up until
 * the spec changes), then Reconciling=True (work in progress), then Ready. A Ready condition from an older
 * generation of the spec means the controller has not looked at the newest one yet (unless suspended,
 * when it will not look). No conditions: the controller has not reported (or is not running).
 */
export function summarize(o: FluxObject): FluxSummary {
  const conditions = conditionsOf(o);
  const by = (type: string) => conditions.find((c) => c.type === type);
  const suspended = o.spec?.suspend === true;
  const said = (state: FluxState, c: Condition | undefined): FluxSummary => ({
    state,
    reason: c?.reason ?? "",
    message: c?.message ?? "",
    suspended,
  });
  const stalled = by("Stalled");
  if (stalled?.status === "True") return said("Stalled", stalled);
  const reconciling = by("Reconciling");
  if (reconciling?.status === "True") return said("Reconciling", reconciling);
  const ready = by("Ready");
  if (!ready) return said("Unknown", undefined);
  if (ready.status === "Unknown") return said("Reconciling", ready);
  if (ready.status === "False") return said("Not ready", ready);
  const observed = o.status?.observedGeneration;
  const generation = o.metadata.generation;
  if (!suspended && typeof observed === "number" && typeof generation === "number" && observed < generation)
    return {
      ...said("Reconciling", ready),
      reason: "NewGeneration",
      message: "The controller has not seen the latest change yet.",
    };
  return said("Ready", ready);
}

export interface Revision {
  /** The whole revision as Flux wrote it. */
  full: string;
  /** A branch, tag or chart version: main, v1.2.0, refs/heads/main… ("" when none). */
  ref: string;
  /** The commit (sha1), digest (sha256…) or chart version. */
  id: string;
  /** sha1 for a git commit, sha256 (or other) for a digest, "" for a plain version. */
  algorithm: string;
  /** What the page shows: ref and a short id. */
  short: string;
  /** A git commit's full hash, when the revision names one. */
  commit: string;
}

/**
 * Parses Flux revisions: `main@sha1:<hex>`, `sha1:<hex>`, `v1@sha256:<hex>` (v1 APIs), `main/<hex>` (older
 * v1beta2 sources), a bare hex commit, or a chart version such as `1.2.3`.
 */
export function parseRevision(revision: string): Revision | null {
  const full = revision.trim();
  if (!full) return null;
  let ref = "";
  let rest = full;
  const at = full.lastIndexOf("@");
  if (at > 0 && /^[a-z0-9]+:[0-9a-f]+$/i.test(full.slice(at + 1))) {
    ref = full.slice(0, at);
    rest = full.slice(at + 1);
  }
  const digest = /^([a-z0-9]+):([0-9a-f]+)$/i.exec(rest);
  if (digest) {
    const algorithm = digest[1]!.toLowerCase();
    const id = digest[2]!.toLowerCase();
    const commit = algorithm === "sha1" && id.length === 40 ? id : "";
    const short = `${ref ? `${ref}@` : ""}${id.slice(0, algorithm === "sha1" ? 7 : 12)}`;
    return { full, ref, id, algorithm, short, commit };
  }
  const legacy = /^(.+)\/([0-9a-f]{40})$/i.exec(full);
  if (legacy) {
    const id = legacy[2]!.toLowerCase();
    return { full, ref: legacy[1]!, id, algorithm: "sha1", short: `${legacy[1]}@${id.slice(0, 7)}`, commit: id };
  }
  if (/^[0-9a-f]{40}$/i.test(full)) {
    const id = full.toLowerCase();
    return { full, ref: "", id, algorithm: "sha1", short: id.slice(0, 7), commit: id };
  }
  return { full, ref: "", id: full, algorithm: "", short: full, commit: "" };
}

/**
 * The revision in force: a Kustomization's or HelmRelease's last applied revision, a source's artifact
 * revision; else the last attempted one (marked so), else none.
 */
export function appliedRevision(o: FluxObject): { revision: Revision; attempted: boolean } | null {
  const s = o.status ?? {};
  const artifact = s.artifact as { revision?: unknown } | undefined;
  const applied = str(s.lastAppliedRevision) || str(artifact?.revision);
  if (applied) return { revision: parseRevision(applied)!, attempted: false };
  // helm-controller v2 keeps the release history instead of lastAppliedRevision.
  const history = Array.isArray(s.history) ? (s.history[0] as { chartVersion?: unknown } | undefined) : undefined;
  if (str(history?.chartVersion)) return { revision: parseRevision(str(history?.chartVersion))!, attempted: false };
  const attempted = str(s.lastAttemptedRevision);
  return attempted ? { revision: parseRevision(attempted)!, attempted: true } : null;
}

/** A repository's web page from its clone URL, when it is on a forge whose commit pages we know. */
export interface ForgeRepo {
  forge: "github" | "gitlab" | "gitea" | "bitbucket";
  /** https://host/owner/name, without .git */
  web: string;
}

const KNOWN_HOSTS: Record<string, ForgeRepo["forge"]> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "codeberg.org": "gitea",
  "gitea.com": "gitea",
  "bitbucket.org": "bitbucket",
};

/** A self-hosted forge is recognised by its host name: gitlab.example.com, git.gitea.example… */
function forgeOfHost(host: string): ForgeRepo["forge"] | null {
  const h = host.toLowerCase();
  if (KNOWN_HOSTS[h]) return KNOWN_HOSTS[h];
  const first = h.split(".")[0] ?? "";
  if (/^(gitlab|.*-gitlab|gitlab-.*)$/.test(first)) return "gitlab";
  if (/^(gitea|forgejo|.*-gitea|.*-forgejo)$/.test(first)) return "gitea";
  if (/^(github|ghe)$/.test(first)) return "github";
  return null;
}

/**
 * The forge page of a git URL: https URLs on any recognised host; ssh:// and scp-style (git@host:owner/repo)
 * URLs only on the public forges, whose web address is the same host. Anything else: null (no link).
 */
export function forgeRepo(url: string): ForgeRepo | null {
  const u = url.trim();
  let host = "";
  let pathname = "";
  let viaHttps = false;
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(u);
  if (scp) {
    host = scp[1]!;
    pathname = `/${scp[2]}`;
  } else {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return null;
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "ssh:") return null;
    viaHttps = parsed.protocol === "https:";
    host = viaHttps ? parsed.host : parsed.hostname;
    pathname = parsed.pathname;
  }
  const forge = viaHttps ? forgeOfHost(host.replace(/:\d+$/, "")) : KNOWN_HOSTS[host.toLowerCase()];
  if (!forge) return null;
  const repoPath = pathname
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .replace(/^\/+/, "");
  const parts = repoPath.split("/").filter(Boolean);
  // GitLab nests groups (a/b/c/repo); the others are owner/repo.
  if (parts.length < 2 || (forge !== "gitlab" && parts.length !== 2)) return null;
  if (parts.some((p) => p === "." || p === ".." || !/^[\w.-]+$/.test(p))) return null;
  return { forge, web: `https://${host.toLowerCase()}/${parts.join("/")}` };
}

/** The forge's page of one commit, or null when the URL is not on a known forge or `commit` is not a sha1. */
export function commitUrl(repoUrl: string, commit: string): string | null {
  if (!/^[0-9a-f]{40}$/.test(commit)) return null;
  const repo = forgeRepo(repoUrl);
  if (!repo) return null;
  switch (repo.forge) {
    case "gitlab":
      return `${repo.web}/-/commit/${commit}`;
    case "bitbucket":
      return `${repo.web}/commits/${commit}`;
    default:
      return `${repo.web}/commit/${commit}`;
  }
}

/**
 * The git URL behind an object's revision: a GitRepository's own spec.url; a Kustomization's (or a
 * HelmRelease's chart's) GitRepository source, looked up among `sources`. "" when there is none.
 */
export function sourceUrl(o: FluxObject, gitRepositories: Iterable<FluxObject>): string {
  if (o.kind === "GitRepository") return str(o.spec?.url);
  const chart = (o.spec?.chart as { spec?: { sourceRef?: unknown } } | undefined)?.spec;
  const ref = (o.spec?.sourceRef ?? chart?.sourceRef) as
    { kind?: unknown; name?: unknown; namespace?: unknown } | undefined;
  if (!ref || ref.kind !== "GitRepository") return "";
  const namespace = str(ref.namespace) || o.metadata.namespace;
  for (const g of gitRepositories)
    if (g.metadata.name === ref.name && g.metadata.namespace === namespace) return str(g.spec?.url);
  return "";
}

const time = (v: unknown): number => {
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : NaN;
};

/**
 * When the controller last finished a reconcile: the newest of its conditions' transition times, the
 * artifact's update time and the handled reconcile request (when that is a time). null: never.
 */
export function lastReconciled(o: FluxObject): string | null {
  const s = o.status ?? {};
  const candidates: unknown[] = [
    ...conditionsOf(o).map((c) => c.lastTransitionTime),
    (s.artifact as { lastUpdateTime?: unknown } | undefined)?.lastUpdateTime,
    s.lastHandledReconcileAt,
  ];
  let best = NaN;
  for (const c of candidates) {
    const t = time(c);
    if (Number.isFinite(t) && !(t <= best)) best = t;
  }
  return Number.isFinite(best) ? new Date(best).toISOString() : null;
}

/** A reconcile asked for (the annotation) that the controller has not handled yet; null when none waits. */
export function pendingReconcile(o: FluxObject): string | null {
  const requested = o.metadata.annotations?.[RECONCILE_ANNOTATION];
  if (!requested) return null;
  return requested === str(o.status?.lastHandledReconcileAt) ? null : requested;
}

/** A core/v1 Event, as much as the tab reads. */
export interface KubeEvent {
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  regarding?: { kind?: string; name?: string; namespace?: string; uid?: string };
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  series?: { lastObservedTime?: string };
}

export interface WarningEvent {
  reason: string;
  message: string;
  count: number;
  at: string | null;
}

/** When an event last happened, by whichever field the emitter filled. */
export function eventTime(e: KubeEvent): string | null {
  for (const v of [
    e.series?.lastObservedTime,
    e.lastTimestamp,
    e.eventTime,
    e.firstTimestamp,
    e.metadata.creationTimestamp,
  ]) {
    if (Number.isFinite(time(v))) return new Date(time(v)).toISOString();
  }
  return null;
}

const eventKey = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}\u0000${namespace ?? ""}\u0000${name}`;

/** Each Flux object's latest Warning events (newest first, at most `per`), keyed by flux object key. */
export function warningsByObject(events: Iterable<KubeEvent>, per = 3): Map<string, WarningEvent[]> {
  const all = new Map<string, (WarningEvent & { t: number })[]>();
  for (const e of events) {
    if (e.type !== "Warning") continue;
    const about = e.involvedObject ?? e.regarding;
    if (!about?.kind || !about.name) continue;
    const key = eventKey(about.kind, about.namespace ?? e.metadata.namespace, about.name);
    const at = eventTime(e);
    const list = all.get(key) ?? [];
    list.push({
      reason: e.reason ?? "",
      message: e.message ?? "",
      count: e.count ?? 1,
      at,
      t: at ? Date.parse(at) : 0,
    });
    all.set(key, list);
  }
  const out = new Map<string, WarningEvent[]>();
  for (const [key, list] of all)
    out.set(
      key,
      list
        .sort((a, b) => b.t - a.t)
        .slice(0, per)
        .map((w) => ({ reason: w.reason, message: w.message, count: w.count, at: w.at })),
    );
  return out;
}

/** The key warningsByObject uses for an object of `kind`. */
export const fluxObjectKey = (kind: string, o: FluxObject): string =>
  eventKey(kind, o.metadata.namespace, o.metadata.name);

/** The counts the project page shows per agent. */
export interface FluxCounts {
  objects: number;
  notReady: number;
  suspended: number;
}

/** Counts objects, and those whose state is anything but Ready (suspended ones count by their state). */
export function countFlux(objects: Iterable<FluxObject>): FluxCounts {
  const counts: FluxCounts = { objects: 0, notReady: 0, suspended: 0 };
  for (const o of objects) {
    const s = summarize(o);
    counts.objects++;
    if (s.state !== "Ready") counts.notReady++;
    if (s.suspended) counts.suspended++;
  }
  return counts;
}

/**
 * Picks, for each Flux kind, the version this cluster serves it at: the group's versions in the API
 * server's order of preference (preferred first), the first whose resource list has the kind's plural.
 * `resources` maps "group/version" to the plurals served there. Kinds found nowhere are `missing`.
 */
export function pickFluxVersions(
  groups: Map<string, string[]>,
  resources: Map<string, string[]>,
): { served: ServedFluxKind[]; missing: FluxKindName[] } {
  const served: ServedFluxKind[] = [];
  const missing: FluxKindName[] = [];
  for (const k of FLUX_KINDS) {
    const version = (groups.get(k.group) ?? []).find((v) => resources.get(`${k.group}/${v}`)?.includes(k.resource));
    if (version)
      served.push({
        kind: k.kind,
        group: k.group,
        version,
        resource: k.resource,
        path: `/apis/${k.group}/${version}/${k.resource}`,
      });
    else missing.push(k.kind);
  }
  return { served, missing };
}
