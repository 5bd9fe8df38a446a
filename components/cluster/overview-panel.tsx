"use client";
// The Overview: nodes ready, pods by phase, failing workloads and recent Warning events, all from one
// live stream of the collections it needs, for one namespace or all, and the cluster's CPU and memory use
// against its nodes' allocatable when it serves metrics.k8s.io (polled). Each figure links to the view it
// counts (the Pods filtered to a phase, the failing workload's drawer…).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useMemo } from "react";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { OVERVIEW_SOURCES as SOURCES, overviewStreamPaths } from "./live-paths";
import { Pickers, StatusChip, namespaceList, namespaceNames, viewHref, type ViewState } from "./controls";
import { overviewOf } from "./overview";
import { ReachNotice, useClusterReach, type ClusterPlace } from "./reach-notice";
import { clusterUsage, usageSentences } from "./resource-usage";
import { useLive } from "./use-live";
import { MetricsNotice, useMetrics } from "./use-metrics";

const WORKLOAD_KINDS = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets" } as const;
const listFormat = new Intl.ListFormat("en-US", { type: "conjunction" });
const linkClass = "rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";
/** The figures' stream indices (0 is the namespaces, for the picker only). */
const FIGURE_SOURCES = SOURCES.map((_, i) => i + 1);

/** In place of a figure the cluster would not give: saying 0 would claim the cluster has none. */
function Hidden({ what }: { what: string }) {
  return <p className="text-sm text-zinc-500">Hidden: you may not list {what} here.</p>;
}

export function OverviewPanel({
  agentId,
  place,
  view,
  setView,
}: {
  agentId: string;
  place: ClusterPlace;
  view: ViewState;
  setView: (p: Partial<ViewState>) => void;
}) {
  // Several namespaces: the cluster-wide collections, narrowed here (six streams per namespace would be too many).
  const chosen = useMemo(() => namespaceList(view.namespace), [view.namespace]);
  // Stream order: namespaces for the picker first, then what the figures need (SOURCES).
  const paths = useMemo(() => overviewStreamPaths(view.namespace), [view.namespace]);
  const live = useLive(agentId, paths);
  const { collections, status, staleSince, error, refused } = live;
  const reach = useClusterReach(agentId, place, live, FIGURE_SOURCES);
  const shown = reach.state === "ready" || (reach.state === "disconnected" && reach.stale);
  const hidden = (key: (typeof SOURCES)[number]) => refused.has(SOURCES.indexOf(key) + 1);
  const overview = useMemo(() => {
    const among = new Set(chosen);
    const of = (key: (typeof SOURCES)[number]) => {
      const all = [...(collections[SOURCES.indexOf(key) + 1]?.values() ?? [])];
      return chosen.length > 1 && key !== "nodes" ? all.filter((o) => among.has(o.metadata.namespace ?? "")) : all;
    };
    return overviewOf({
      nodes: of("nodes"),
      pods: of("pods"),
      deployments: of("deployments"),
      statefulsets: of("statefulsets"),
      daemonsets: of("daemonsets"),
      events: of("events"),
    });
  }, [collections, chosen]);
  // Node metrics are cluster-wide, whatever namespace the Overview shows; without the nodes there is nothing to weigh them against.
  const metrics = useMetrics(agentId, "nodes", [], reach.state === "ready" && !hidden("nodes"));
  const usage = useMemo(
    () =>
      metrics.answer?.state === "available"
        ? clusterUsage(collections[SOURCES.indexOf("nodes") + 1]?.values() ?? [], metrics.byKey)
        : null,
    [metrics.answer, metrics.byKey, collections],
  );
  const refusedSources = SOURCES.filter((_, i) => refused.has(i + 1));
  // "Every Deployment … ready" may only name the kinds the viewer could list.
  const listableWorkloads = Object.entries(WORKLOAD_KINDS)
    .filter(([, key]) => !hidden(key))
    .map(([kind]) => kind);
  const scope = chosen.length ? `in ${listFormat.format(chosen)}` : "in the cluster";
  const pathname = usePathname();
  const href = (patch: Partial<ViewState>) => viewHref(pathname, { namespace: view.namespace, ...patch });

  return (
    <section aria-label="Cluster overview" className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <Pickers
          agentId={agentId}
          view={view}
          setView={setView}
          namespaced
          namespaces={namespaceNames(collections[0])}
          canListNamespaces={!refused.has(0)}
          discover={status !== "connecting"}
        />
        <div className="ml-auto flex items-center gap-3 text-sm">
          {/* A stream retrying to an agent that is not there is not news: the notice says why. */}
          {shown || reach.state === "loading" || reach.state === "no_access" ? (
            <StatusChip status={status} since={staleSince} />
          ) : null}
        </div>
      </div>
      {error ? <ErrorState title="The live view stopped" message={error} /> : null}
      <ReachNotice reach={reach} place={place} />
      {shown && refusedSources.length ? (
        <ErrorState
          title="Part of the overview is hidden"
          message={`You cannot list ${refusedSources.join(", ")} ${scope}; those figures are left out.`}
        />
      ) : null}
      {reach.state === "loading" ? <LoadingState label="Loading the overview…" /> : null}
      {shown ? (
        <>
          <div className="grid gap-3 sm:grid-cols-2">
            <div
              role="group"
              aria-label="Nodes ready"
              className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
            >
              <p className="text-sm text-zinc-600 dark:text-zinc-400">Nodes ready</p>
              {hidden("nodes") ? (
                <Hidden what="nodes" />
              ) : (
                <p className="mt-1 text-2xl font-semibold">
                  <Link
                    href={viewHref(pathname, { kind: "nodes" })}
                    data-testid="nodes-ready"
                    aria-label={`Nodes ready: ${overview.nodes.ready} of ${overview.nodes.total}`}
                    className={linkClass}
                  >
                    {overview.nodes.ready}/{overview.nodes.total}
                  </Link>
                </p>
              )}
            </div>
            <div
              role="group"
              aria-label="Pods by phase"
              className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
            >
              <p className="text-sm text-zinc-600 dark:text-zinc-400">Pods by phase {scope}</p>
              {hidden("pods") ? (
                <Hidden what="pods" />
              ) : (
                <dl className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
                  {overview.podsByPhase.map(([phase, count]) => (
                    <div key={phase} data-phase={phase} className="flex items-baseline gap-1.5">
                      <dt className="text-sm text-zinc-600 dark:text-zinc-400">{phase}</dt>
                      <dd className="text-xl font-semibold">
                        <Link
                          href={href({ kind: "pods", status: phase })}
                          aria-label={`${phase} pods: ${count}`}
                          className={linkClass}
                        >
                          {count}
                        </Link>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
          </div>
          {usage && usage.measured > 0 ? (
            <UsageFigures usage={usage} linkClass={linkClass} href={viewHref(pathname, { kind: "nodes" })} />
          ) : null}
          {usage && usage.measured === 0 ? (
            <p role="note" className="text-sm text-zinc-500">
              No node has been measured by the cluster&apos;s metrics-server yet.
            </p>
          ) : null}
          <MetricsNotice text={hidden("nodes") ? null : metrics.notice} />
          <section
            aria-label="Failing workloads"
            className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
          >
            <h3 className="mb-2 text-sm font-medium">Failing workloads</h3>
            {overview.failing.length === 0 && listableWorkloads.length === 0 ? (
              <Hidden what="Deployments, StatefulSets or DaemonSets" />
            ) : overview.failing.length ? (
              <ul className="space-y-1 text-sm">
                {overview.failing.map((w) => (
                  <li key={`${w.kind}/${w.namespace}/${w.name}`} className="flex justify-between gap-3">
                    <Link
                      href={href({
                        kind: WORKLOAD_KINDS[w.kind],
                        namespace: w.namespace,
                        open: `${w.namespace}/${w.name}`,
                      })}
                      className={`truncate ${linkClass}`}
                    >
                      {w.kind} {w.namespace}/{w.name}
                    </Link>
                    <span className="text-amber-700 dark:text-amber-300">
                      {w.ready}/{w.desired} ready
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">
                Every {listFormat.format(listableWorkloads)} {scope} has all its replicas ready.
              </p>
            )}
          </section>
          <section aria-label="Recent warnings" className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
            <h3 className="mb-2 text-sm font-medium">Recent Warning events</h3>
            {hidden("events") ? (
              <Hidden what="events" />
            ) : overview.warnings.length ? (
              <ul className="space-y-2 text-sm">
                {overview.warnings.map((w, i) => (
                  <li key={`${w.namespace}/${w.object}/${w.reason}/${i}`}>
                    <Link
                      href={href({ kind: "events", namespace: w.namespace, q: w.object.split("/")[1] ?? "" })}
                      className={`font-medium ${linkClass}`}
                    >
                      {w.reason}
                    </Link>{" "}
                    <span className="text-zinc-500">
                      {w.namespace}/{w.object}
                      {w.count > 1 ? ` ×${w.count}` : ""}
                    </span>
                    <p className="text-zinc-600 dark:text-zinc-400">{w.message}</p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">No Warning events {scope}.</p>
            )}
          </section>
        </>
      ) : null}
    </section>
  );
}

/** The cluster's CPU and memory in use against what its nodes can allocate (metrics.k8s.io). */
function UsageFigures({
  usage,
  href,
  linkClass,
}: {
  usage: ReturnType<typeof clusterUsage>;
  href: string;
  linkClass: string;
}) {
  const text = usageSentences(usage);
  return (
    <div
      role="group"
      aria-label="Cluster resource usage"
      className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Resource usage of the cluster&apos;s nodes
        {usage.measured < usage.nodes ? ` (${usage.measured} of ${usage.nodes} measured)` : ""}
      </p>
      <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1">
        <div className="flex items-baseline gap-1.5">
          <dt className="text-sm text-zinc-600 dark:text-zinc-400">CPU</dt>
          <dd className="text-lg font-semibold" data-testid="cluster-cpu">
            <Link href={href} className={linkClass}>
              {text.cpu}
            </Link>
          </dd>
        </div>
        <div className="flex items-baseline gap-1.5">
          <dt className="text-sm text-zinc-600 dark:text-zinc-400">Memory</dt>
          <dd className="text-lg font-semibold" data-testid="cluster-memory">
            <Link href={href} className={linkClass}>
              {text.memory}
            </Link>
          </dd>
        </div>
      </dl>
    </div>
  );
}
