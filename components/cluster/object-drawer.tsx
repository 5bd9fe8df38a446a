"use client";
// A row's drawer: the whole object, its conditions, labels, annotations, owners and owned objects, events,
// actions, a pod's logs and shell, and its YAML. Loaded on demand (live-view.tsx): the table's page does
// not wait for the drawer's script (the YAML library, the editor, the log views).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { fetchJson } from "@/components/providers";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { objectKey } from "@/lib/cluster-cache/wire";
import { workloadLogKind } from "@/lib/pod-logs/workload-wire";
import { clusterKeys } from "./controls";
import {
  AnnotationsSection,
  ContainersSection,
  EventsSection,
  OwnedSection,
  OwnersSection,
  SecretDataSection,
  YamlSection,
  type LiveSlice,
} from "./drawer-sections";
import { KINDS, conditionsOf, type KubeItem } from "./kinds";
import { ObjectActions } from "./object-actions";
import { objectEvents } from "./object-events";
import { objectYaml, secretKeys, yamlFileName } from "./object-yaml";
import { ownedKind, ownedLinks } from "./owned-objects";
import { PodLogs } from "./pod-logs";
import { PodShell } from "./pod-shell";
import { useLive } from "./use-live";
import { WorkloadLogs } from "./workload-logs";

const PODS = /^\/api\/v1(\/namespaces\/[^/]+)?\/pods$/;

/** The whole object behind a row (tables may hold summaries), asked again when the row changes. */
function useWholeObject(agentId: string, path: string, summary: KubeItem) {
  const { name, namespace, resourceVersion } = summary.metadata;
  return useQuery({
    queryKey: clusterKeys.object(agentId, path, objectKey(summary), resourceVersion ?? ""),
    queryFn: async () => {
      const q = new URLSearchParams({ path, name, ...(namespace ? { namespace } : {}) });
      return (await fetchJson<{ object: KubeItem }>(`/api/agents/${encodeURIComponent(agentId)}/object?${q}`)).object;
    },
    placeholderData: keepPreviousData,
    retry: 1,
  });
}

/**
 * The drawer's own live stream (one EventSource, the cluster cache's shared watches): the events of the
 * object's namespace (the whole cluster's for a cluster-scoped object) and, for a workload, the collection
 * of the kind it owns in its namespace. Both are the collections the Events and kind tables watch, so the
 * server shares them.
 */
function useRelated(agentId: string, kindKey: string, object: KubeItem) {
  const namespace = object.metadata.namespace ?? null;
  const owned = ownedKind(kindKey);
  const events = KINDS.find((k) => k.key === "events")!;
  const pathsKey = [events.path(namespace), ...(owned ? [owned.kind.path(namespace)] : [])].join("\n");
  const paths = useMemo(() => pathsKey.split("\n"), [pathsKey]);
  const live = useLive(agentId, paths);
  const slice = (i: number): LiveSlice => ({
    received: live.received,
    refused: live.refused.get(i),
    error: live.error,
  });
  const { name, uid } = object.metadata;
  const kind = typeof object.kind === "string" ? object.kind : undefined;
  const found = useMemo(
    () => objectEvents(live.collections[0]?.values() ?? [], { uid, kind, namespace: namespace ?? undefined, name }),
    [live.collections, uid, kind, namespace, name],
  );
  const links = useMemo(
    () => (owned ? ownedLinks(object, owned, live.collections[1]?.values() ?? []) : []),
    [owned, object, live.collections],
  );
  return {
    events: found,
    eventsLive: slice(0),
    owned: owned ? { noun: owned.kind.noun.other, links, live: slice(1) } : null,
  };
}

/**
 * A row's details: conditions, labels, annotations, owners and owned objects, events, then the object as
 * read-only YAML to copy or download. Focus moves in; Escape closes.
 */
export function ObjectDrawer({
  agentId,
  path,
  kindKey,
  noun,
  summary,
  onClose,
}: {
  agentId: string;
  path: string;
  kindKey: string;
  noun: string;
  summary: KubeItem;
  onClose: () => void;
}) {
  const whole = useWholeObject(agentId, path, summary);
  const object = whole.data ?? summary;
  const related = useRelated(agentId, kindKey, object);
  const panel = useRef<HTMLElement>(null);
  // The object changes live and onClose with every render: only opening moves focus, not each update.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  // An edit of the object's YAML not applied yet (edit-yaml.tsx marks it) is discarded only when confirmed.
  const leave = useCallback(() => {
    const unapplied = panel.current?.querySelector("[data-unapplied-edit]");
    if (!unapplied || window.confirm(unapplied.getAttribute("data-unapplied-edit") ?? "")) close.current();
  }, []);
  useEffect(() => {
    const returnTo = document.activeElement;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      // Escape inside the YAML editor is CodeMirror's (Escape then Tab leaves the editor), and inside a
      // shell's terminal the shell's (F6 leaves it), not the drawer's.
      if (e.key === "Escape" && !(e.target instanceof Element && e.target.closest(".cm-editor, .xterm"))) leave();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    };
  }, [leave]);
  const conditions = conditionsOf(object);
  const workload = workloadLogKind(path);
  const labels = Object.entries((object.metadata as { labels?: Record<string, string> }).labels ?? {});
  const title = `${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
  return (
    <aside
      ref={panel}
      role="dialog"
      aria-label={`${object.metadata.name} details`}
      tabIndex={-1}
      className="fixed inset-y-0 right-0 z-40 w-full max-w-2xl space-y-4 overflow-auto border-l border-zinc-200 bg-white p-5 shadow-xl focus:outline-none dark:border-zinc-800 dark:bg-zinc-950"
    >
      <div className="flex items-center justify-between gap-3">
        <h3 className="truncate font-semibold">{title}</h3>
        <button
          type="button"
          onClick={leave}
          className="text-sm underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          Close
        </button>
      </div>
      {whole.isPending ? <LoadingState label="Loading the object…" /> : null}
      {whole.isError ? <ErrorState title="The object could not be loaded" message={whole.error.message} /> : null}
      <ObjectActions agentId={agentId} path={path} object={object} noun={noun} />
      {PODS.test(path) ? <PodShell agentId={agentId} pod={object} /> : null}
      {PODS.test(path) ? <PodLogs agentId={agentId} pod={object} /> : null}
      {workload ? <WorkloadLogs agentId={agentId} kind={workload} object={object} /> : null}
      <section aria-label="Conditions">
        <h4 className="mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400">Conditions</h4>
        {conditions.length ? (
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="text-zinc-500">
                <th className="py-1 pr-2">Type</th>
                <th className="pr-2">Status</th>
                <th className="pr-2">Reason</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c) => (
                <tr key={c.type} className="border-t border-zinc-100 align-top dark:border-zinc-900">
                  <td className="py-1 pr-2 font-medium">{c.type}</td>
                  <td className="pr-2">{c.status}</td>
                  <td className="pr-2">{c.reason ?? ""}</td>
                  <td className="break-words">{c.message ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-xs text-zinc-500">No conditions.</p>
        )}
      </section>
      <section aria-label="Labels">
        <h4 className="mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400">Labels</h4>
        {labels.length ? (
          <ul className="flex flex-wrap gap-1 text-xs">
            {labels.map(([k, v]) => (
              <li key={k} className="rounded border border-zinc-200 px-1.5 py-0.5 font-mono dark:border-zinc-800">
                {k}={v}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-zinc-500">No labels.</p>
        )}
      </section>
      <AnnotationsSection object={object} />
      {kindKey === "secrets" ? <SecretDataSection keys={secretKeys(object, kindKey)} /> : null}
      <OwnersSection agentId={agentId} object={object} />
      {related.owned ? (
        <OwnedSection noun={related.owned.noun} links={related.owned.links} live={related.owned.live} />
      ) : null}
      {PODS.test(path) ? <ContainersSection pod={object} whole={whole.data !== undefined} /> : null}
      <EventsSection events={related.events} live={related.eventsLive} />
      <YamlSection
        yaml={whole.data ? objectYaml(whole.data, kindKey) : null}
        fileName={yamlFileName(object, kindKey === "secrets" ? "Secret" : noun)}
      />
    </aside>
  );
}
