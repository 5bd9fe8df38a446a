"use client";
// The agent's GitOps tab: every GitRepository, OCIRepository, HelmRepository, Kustomization and
// HelmRelease the viewer may list, live over the cluster cache's stream (one collection per kind, at the
// version the cluster serves), with its state from status.conditions, applied revision, last reconcile,
// suspension and latest Warning events; Reconcile now, Suspend and Resume where the cluster's RBAC lets
// the viewer patch the object. Before any of that it says the truth: agent never or not connected, Flux
// not installed, nothing yet, or what failed.
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useId, useMemo, useState } from "react";
import { useAgent } from "@/components/agents/api";
import { RelativeTime } from "@/components/agents/relative-time";
import { fetchJson } from "@/components/providers";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { plural } from "@/components/ui/plural";
import { Button } from "@/components/ui/button";
import { StatusChip, inputClass } from "@/components/cluster/controls";
import { clusterReach } from "@/components/cluster/overview";
import { ReachNotice, useClusterReach, type ClusterPlace } from "@/components/cluster/reach-notice";
import { useLive } from "@/components/cluster/use-live";
import {
  FLUX_INSTALL_DOCS,
  appliedRevision,
  commitUrl,
  fluxObjectKey,
  lastReconciled,
  pendingReconcile,
  sourceUrl,
  summarize,
  warningsByObject,
  type FluxObject,
  type FluxKindName,
  type FluxState,
  type KubeEvent,
  type ServedFluxKind,
  type WarningEvent,
} from "@/lib/flux-view/flux-status";
import { FluxActions } from "./flux-actions";

export const fluxKeys = {
  kinds: (agentId: string) => ["flux-kinds", agentId] as const,
  summary: (agentId: string) => ["flux-summary", agentId] as const,
};

const PLURALS: Record<FluxKindName, string> = {
  GitRepository: "Git repositories",
  OCIRepository: "OCI repositories",
  HelmRepository: "Helm repositories",
  Kustomization: "Kustomizations",
  HelmRelease: "Helm releases",
};

const linkClass = "font-medium text-indigo-600 underline dark:text-indigo-400";

export function GitOpsView({ agentId, place }: { agentId: string; place: ClusterPlace }) {
  return (
    <Suspense fallback={<LoadingState label="Looking for Flux in the cluster…" />}>
      <GitOpsRouted agentId={agentId} place={place} />
    </Suspense>
  );
}

function GitOpsRouted({ agentId, place }: { agentId: string; place: ClusterPlace }) {
  const namespace = useSearchParams().get("namespace") ?? "";
  const agentQuery = useAgent(agentId);
  const agent = agentQuery.data?.agent ?? null;
  const connected = agent?.status === "connected";
  const flux = useQuery({
    queryKey: fluxKeys.kinds(agentId),
    queryFn: () =>
      fetchJson<{ served: ServedFluxKind[]; missing: FluxKindName[] }>(
        `/api/agents/${encodeURIComponent(agentId)}/flux`,
      ),
    enabled: connected,
    staleTime: 5 * 60_000,
    // Not installed yet: look again now and then, so installing Flux shows without a reload.
    refetchInterval: (q) => (q.state.data?.served.length === 0 ? 30_000 : false),
    retry: 1,
  });

  if (agentQuery.isError)
    return (
      <ErrorState
        title="The agent could not be loaded"
        message={agentQuery.error.message}
        onRetry={() => void agentQuery.refetch()}
      />
    );
  if (!agent) return <LoadingState label="Loading the agent…" />;
  // Not connected, and nothing learnt while it was: say why there is nothing to show.
  if (!connected && !flux.data)
    return (
      <ReachNotice
        reach={clusterReach({
          agent,
          live: "connecting",
          received: false,
          sources: 0,
          refused: 0,
          viaUserAccess: place.viaUserAccess,
        })}
        place={place}
      />
    );
  if (flux.isPending) return <LoadingState label="Looking for Flux in the cluster…" />;
  if (flux.isError)
    return (
      <ErrorState
        title="Tether could not ask the cluster about Flux"
        message={flux.error.message}
        onRetry={() => void flux.refetch()}
      />
    );
  if (flux.data.served.length === 0) return <FluxNotInstalled />;
  return (
    <FluxLive
      key={`${namespace}\n${flux.data.served.map((k) => k.path).join("\n")}`}
      agentId={agentId}
      place={place}
      served={flux.data.served}
      missing={flux.data.missing}
      namespace={namespace}
      skewMs={agentQuery.data?.skewMs ?? 0}
    />
  );
}

function FluxNotInstalled() {
  return (
    <EmptyState title="Flux is not installed in this cluster">
      <p>
        The cluster serves none of Flux&apos;s APIs (source.toolkit.fluxcd.io, kustomize.toolkit.fluxcd.io,
        helm.toolkit.fluxcd.io), so there is nothing to reconcile from Git yet.
      </p>
      <p className="mt-2">
        <a href={FLUX_INSTALL_DOCS} className={linkClass} target="_blank" rel="noreferrer">
          Install Flux
        </a>{" "}
        in the cluster; its GitRepositories, Kustomizations and HelmReleases then appear here as they change.
      </p>
    </EmptyState>
  );
}

/** Warning events in the namespaces the Flux objects live in: one stream, reopened when that set changes. */
function EventsFeed({
  agentId,
  paths,
  onEvents,
}: {
  agentId: string;
  paths: string[];
  onEvents: (events: { list: KubeEvent[]; refused: string | null }) => void;
}) {
  const live = useLive(agentId, paths);
  useEffect(() => {
    if (!live.received) return;
    const list: KubeEvent[] = [];
    for (const c of live.collections) for (const e of c.values()) list.push(e as unknown as KubeEvent);
    const refused = live.refused.size ? ([...live.refused.values()][0] ?? null) : null;
    onEvents({ list, refused });
  }, [live.collections, live.received, live.refused, onEvents]);
  return null;
}

/** At most this many namespaces get their own events collection; more and the cluster's events are watched. */
const EVENT_NAMESPACES = 11;

/** A kind's collection in one namespace, or in all of them. */
const inNamespace = (k: ServedFluxKind, namespace: string) =>
  namespace ? `/apis/${k.group}/${k.version}/namespaces/${namespace}/${k.resource}` : k.path;

/** The namespace the tab shows (all when empty), kept in the URL so a link reopens it. */
function NamespaceForm({ namespace }: { namespace: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(namespace);
  const invalid = value.trim() !== "" && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value.trim());
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        if (invalid) return;
        const ns = value.trim();
        router.replace(ns ? `${pathname}?namespace=${encodeURIComponent(ns)}` : pathname);
      }}
    >
      <label>
        <span className="block text-zinc-600 dark:text-zinc-400">Namespace</span>
        <input
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="All namespaces"
          aria-invalid={invalid}
          aria-describedby={invalid ? "flux-namespace-error" : undefined}
          className={inputClass}
        />
      </label>
      <Button type="submit" variant="secondary" className="px-2.5 py-1.5">
        Show
      </Button>
      {invalid ? (
        <p id="flux-namespace-error" role="alert" className="w-full text-xs text-red-700 dark:text-red-300">
          Not a namespace name: lower-case letters, digits and dashes.
        </p>
      ) : null}
    </form>
  );
}

function FluxLive({
  agentId,
  place,
  served,
  missing,
  namespace,
  skewMs,
}: {
  agentId: string;
  place: ClusterPlace;
  served: ServedFluxKind[];
  missing: FluxKindName[];
  namespace: string;
  skewMs: number;
}) {
  const paths = useMemo(() => served.map((k) => inNamespace(k, namespace)), [served, namespace]);
  const live = useLive(agentId, paths);
  const sources = useMemo(() => paths.map((_, i) => i), [paths]);
  const reach = useClusterReach(agentId, place, live, sources);
  const [onlyTrouble, setOnlyTrouble] = useState(false);
  const [events, setEvents] = useState<{ list: KubeEvent[]; refused: string | null }>({ list: [], refused: null });
  const shown = reach.state === "ready" || (reach.state === "disconnected" && reach.stale);

  const kinds = useMemo(
    () =>
      served.map((k, i) => ({
        ...k,
        objects: [...(live.collections[i]?.values() ?? [])]
          .map((o) => o as unknown as FluxObject)
          .sort(
            (a, b) =>
              (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
              a.metadata.name.localeCompare(b.metadata.name),
          ),
        refused: live.refused.get(i) ?? null,
      })),
    [served, live.collections, live.refused],
  );
  const refusedKinds = kinds.filter((k) => k.refused);
  const gitRepositories = useMemo(() => kinds.find((k) => k.kind === "GitRepository")?.objects ?? [], [kinds]);
  const all = kinds.flatMap((k) => k.objects);
  const notReady = all.filter((o) => summarize(o).state !== "Ready").length;
  const suspended = all.filter((o) => o.spec?.suspend === true).length;
  const namespaces = useMemo(
    () => [...new Set(kinds.flatMap((k) => k.objects.map((o) => o.metadata.namespace ?? "")))].filter(Boolean).sort(),
    [kinds],
  );
  const eventPaths = useMemo(
    () =>
      namespaces.length === 0
        ? []
        : namespaces.length > EVENT_NAMESPACES
          ? ["/api/v1/events"]
          : namespaces.map((ns) => `/api/v1/namespaces/${ns}/events`),
    [namespaces],
  );
  const warnings = useMemo(() => warningsByObject(events.list), [events.list]);

  return (
    <section aria-label="GitOps" className="space-y-5">
      {eventPaths.length ? (
        <EventsFeed key={eventPaths.join("\n")} agentId={agentId} paths={eventPaths} onEvents={setEvents} />
      ) : null}
      <NamespaceForm key={namespace} namespace={namespace} />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {shown ? (
          <p data-testid="flux-counts">
            {plural(all.length, "Flux object")}
            {all.length ? (
              <>
                {", "}
                <span className={notReady ? "font-medium text-red-700 dark:text-red-300" : ""}>
                  {notReady} not Ready
                </span>
                {suspended ? `, ${suspended} suspended` : ""}
              </>
            ) : null}
          </p>
        ) : null}
        {shown && all.length ? (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={onlyTrouble} onChange={(e) => setOnlyTrouble(e.target.checked)} />
            Only what is not Ready
          </label>
        ) : null}
        <span className="ml-auto">
          {shown || reach.state === "loading" || reach.state === "no_access" ? (
            <StatusChip status={live.status} since={live.staleSince} />
          ) : null}
        </span>
      </div>
      {live.error ? <ErrorState title="The live view stopped" message={live.error} /> : null}
      <ReachNotice reach={reach} place={place} />
      {reach.state === "loading" ? <LoadingState label="Loading Flux objects…" /> : null}
      {shown && missing.length ? (
        <p className="text-xs text-zinc-500">
          This cluster does not serve {missing.join(", ")}: the controller that owns{" "}
          {missing.length === 1 ? "it" : "them"} is not installed.
        </p>
      ) : null}
      {shown && refusedKinds.length ? (
        <p data-testid="flux-refused" className="text-xs text-zinc-500">
          You may not list {refusedKinds.map((k) => PLURALS[k.kind]).join(", ")}{" "}
          {namespace ? `in ${namespace}` : "in every namespace; name a namespace to see its own"}:{" "}
          {refusedKinds[0]?.refused}.
        </p>
      ) : null}
      {shown && events.refused ? (
        <p className="text-xs text-zinc-500">Warning events are not shown: {events.refused}.</p>
      ) : null}
      {shown && all.length === 0 && refusedKinds.length < kinds.length ? (
        <EmptyState title="No Flux objects yet">
          <p>
            Flux is installed, but {namespace ? `the namespace ${namespace} has` : "the cluster has"} no{" "}
            {kinds
              .filter((k) => !k.refused)
              .map((k) => k.kind)
              .join(", ")}{" "}
            that you may see. Create a GitRepository and a Kustomization (or a HelmRelease) and they appear here as Flux
            reconciles them.
          </p>
        </EmptyState>
      ) : null}
      {shown
        ? kinds.map((k) => {
            const objects = onlyTrouble ? k.objects.filter((o) => summarize(o).state !== "Ready") : k.objects;
            if (objects.length === 0) return null;
            return (
              <section key={k.kind} aria-label={PLURALS[k.kind]} className="space-y-2">
                <h3 className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">
                  {PLURALS[k.kind]} <span className="font-normal text-zinc-500">({k.objects.length})</span>
                </h3>
                <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-900 dark:border-zinc-800">
                  {objects.map((o) => (
                    <FluxRow
                      key={`${o.metadata.namespace ?? ""}/${o.metadata.name}`}
                      agentId={agentId}
                      kind={k}
                      object={o}
                      gitRepositories={gitRepositories}
                      warnings={warnings.get(fluxObjectKey(k.kind, o)) ?? []}
                      skewMs={skewMs}
                    />
                  ))}
                </ul>
              </section>
            );
          })
        : null}
    </section>
  );
}

const STATE_TONE: Record<FluxState, string> = {
  Ready:
    "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  "Not ready": "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200",
  Stalled: "border-red-400 bg-red-100 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100",
  Reconciling:
    "border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200",
  Unknown: "border-zinc-300 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
};

function Badge({ children, tone, label }: { children: React.ReactNode; tone: string; label?: string }) {
  return (
    <span data-testid={label} className={`rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`}>
      {children}
    </span>
  );
}

function FluxRow({
  agentId,
  kind,
  object,
  gitRepositories,
  warnings,
  skewMs,
}: {
  agentId: string;
  kind: ServedFluxKind;
  object: FluxObject;
  gitRepositories: FluxObject[];
  warnings: WarningEvent[];
  skewMs: number;
}) {
  const titleId = useId();
  const o = { ...object, kind: object.kind ?? kind.kind };
  const s = summarize(o);
  const applied = appliedRevision(o);
  const link = applied?.revision.commit ? commitUrl(sourceUrl(o, gitRepositories), applied.revision.commit) : null;
  const reconciled = lastReconciled(o);
  const pending = pendingReconcile(o);
  const name = `${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
  return (
    <li
      data-name={o.metadata.name}
      data-kind={kind.kind}
      data-state={s.state}
      data-suspended={s.suspended ? "true" : "false"}
      className="space-y-2 px-3 py-3 text-sm"
    >
      <article aria-labelledby={titleId} className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <h4 id={titleId} className="min-w-0 break-all font-medium">
            <span className="sr-only">{kind.kind} </span>
            {name}
          </h4>
          <Badge tone={STATE_TONE[s.state]} label="flux-state">
            {s.state}
          </Badge>
          {s.suspended ? (
            <Badge
              tone="border-zinc-400 bg-zinc-100 text-zinc-800 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-200"
              label="flux-suspended"
            >
              Suspended
            </Badge>
          ) : null}
        </div>
        {s.message && s.state !== "Ready" ? (
          <p className="break-words text-zinc-700 dark:text-zinc-300">
            {s.reason ? <span className="font-medium">{s.reason}: </span> : null}
            {s.message}
          </p>
        ) : null}
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
          <div className="flex gap-1">
            <dt>Revision</dt>
            <dd data-testid="flux-revision" className="font-mono text-zinc-900 dark:text-zinc-100">
              {applied ? (
                <>
                  {link ? (
                    <a href={link} target="_blank" rel="noreferrer" title={applied.revision.full} className={linkClass}>
                      {applied.revision.short}
                    </a>
                  ) : (
                    <span title={applied.revision.full}>{applied.revision.short}</span>
                  )}
                  {applied.attempted ? (
                    <span className="font-sans text-zinc-500"> (attempted, not applied)</span>
                  ) : null}
                </>
              ) : (
                <span className="font-sans text-zinc-500">none yet</span>
              )}
            </dd>
          </div>
          <div className="flex gap-1">
            <dt>Last reconciled</dt>
            <dd>
              <RelativeTime iso={reconciled} skewMs={skewMs} never="not yet" />
            </dd>
          </div>
          {pending ? (
            <div className="flex gap-1" data-testid="flux-pending">
              <dt>Reconcile requested</dt>
              <dd>waiting for the controller</dd>
            </div>
          ) : null}
        </dl>
        {warnings.length ? (
          <ul aria-label="Warning events" className="space-y-1 text-xs">
            {warnings.map((w, i) => (
              <li key={i} className="break-words text-amber-800 dark:text-amber-200">
                <span className="font-medium">{w.reason}</span>
                {w.count > 1 ? ` (×${w.count})` : ""}: {w.message}{" "}
                {w.at ? (
                  <span className="text-zinc-500">
                    <RelativeTime iso={w.at} skewMs={skewMs} />
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        <FluxActions agentId={agentId} path={kind.path} object={o} noun={kind.kind} suspended={s.suspended} />
      </article>
    </li>
  );
}
