"use client";
// Sections of the object drawer: the owners and the objects it owns (links that open each in the drawer:
// Pod → ReplicaSet → Deployment and back down), a pod's containers with their states, restarts and last
// termination, the object's own events (live, from the same stream as the Events table), its annotations
// (long values and kubectl's last-applied copy folded away), a Secret's keys, and the YAML with Copy and
// Download.
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { DownloadButton } from "@/components/ui/download-button";
import { plural } from "@/components/ui/plural";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useCustomKinds, viewHref, type ViewState } from "./controls";
import { ageOf, type KubeItem } from "./kinds";
import type { ObjectEvent } from "./object-events";
import type { OwnedLink } from "./owned-objects";
import { needsDiscovery, ownerLinks } from "./owner-links";
import { podContainers } from "./pod-containers";

const headingClass = "mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400";
const linkClass =
  "font-medium text-indigo-600 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400";
const toggleClass =
  "text-xs text-indigo-600 underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400";

/** A link to another object's drawer; a new history entry, so Back returns to this object. */
function DrawerLink({ view, children }: { view: Pick<ViewState, "kind" | "namespace" | "open">; children: string }) {
  const pathname = usePathname();
  return (
    <a
      href={viewHref(pathname, view)}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
        e.preventDefault();
        // Next.js keeps useSearchParams in step with pushState: the view follows, Back returns.
        window.history.pushState(null, "", viewHref(pathname, view));
      }}
      className={linkClass}
    >
      {children}
    </a>
  );
}

/** The owners; a link is a new history entry (Back returns to this object) that opens the owner's drawer. */
export function OwnersSection({ agentId, object }: { agentId: string; object: KubeItem }) {
  const more = useCustomKinds(agentId, needsDiscovery(object));
  const owners = ownerLinks(object, more.data ?? []);
  if (owners.length === 0) return null;
  return (
    <section aria-label="Owners">
      <h4 className={headingClass}>Owned by</h4>
      <ul className="space-y-1 text-sm">
        {owners.map((o) => {
          const label = `${o.kind} ${o.name}`;
          return (
            <li key={`${o.kind}/${o.name}`} className="flex flex-wrap items-baseline gap-x-2">
              {o.view ? <DrawerLink view={o.view}>{label}</DrawerLink> : <span className="font-medium">{label}</span>}
              {o.controller ? <span className="text-xs text-zinc-500">controller</span> : null}
              {!o.view ? (
                <span className="text-xs text-zinc-500">
                  {more.isPending && needsDiscovery(object) ? "(finding its kind…)" : "(not a kind this view shows)"}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Each container's state as `kubectl describe pod` says it; the whole pod is needed (a summary has no spec). */
export function ContainersSection({ pod, whole }: { pod: KubeItem; whole: boolean }) {
  const rows = podContainers(pod);
  return (
    <section aria-label="Containers">
      <h4 className={headingClass}>Containers</h4>
      {rows.length === 0 ? (
        <p className="text-xs text-zinc-500">{whole ? "No containers." : "Loading the containers…"}</p>
      ) : (
        <ul className="space-y-2">
          {rows.map((c) => {
            const bad =
              c.state.startsWith("Waiting") || (c.state.startsWith("Terminated") && !/exit code 0\)/.test(c.state));
            return (
              <li
                key={`${c.type}/${c.name}`}
                data-container={c.name}
                className="rounded border border-zinc-200 p-2 text-xs dark:border-zinc-800"
              >
                <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                  <span className="font-mono font-medium">
                    {c.name}
                    {c.type !== "container" ? <span className="ml-1 font-sans text-zinc-500">({c.type})</span> : null}
                  </span>
                  <span className="break-all text-zinc-500">{c.image}</span>
                </div>
                <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
                  <dt className="text-zinc-500">State</dt>
                  <dd
                    data-testid="container-state"
                    className={bad ? "font-medium text-amber-800 dark:text-amber-300" : ""}
                  >
                    {c.state}
                    {c.since ? (
                      <span className="text-zinc-500">
                        {" "}
                        since <time dateTime={c.since}>{new Date(c.since).toLocaleString()}</time>
                      </span>
                    ) : null}
                    {c.message ? (
                      <span className="block break-words text-zinc-600 dark:text-zinc-400">{c.message}</span>
                    ) : null}
                  </dd>
                  <dt className="text-zinc-500">Ready</dt>
                  <dd>{c.ready ? "Yes" : "No"}</dd>
                  <dt className="text-zinc-500">Restarts</dt>
                  <dd>{c.restarts}</dd>
                  {c.lastState ? (
                    <>
                      <dt className="text-zinc-500">Last state</dt>
                      <dd>{c.lastState}</dd>
                    </>
                  ) : null}
                </dl>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** One collection of the drawer's own live stream, as a section reads it. */
export interface LiveSlice {
  /** A snapshot has arrived: an empty list is the cluster's answer, not a stream still opening. */
  received: boolean;
  /** The cluster refused to list it to the viewer (RBAC), in its words. */
  refused: string | undefined;
  /** The stream stopped for good (the agent is gone, access lost). */
  error: string | null;
}

/** The objects this one owns (Deployment → ReplicaSets, ReplicaSet → Pods, CronJob → Jobs), as drawer links. */
export function OwnedSection({ noun, links, live }: { noun: string; links: OwnedLink[]; live: LiveSlice }) {
  return (
    <section aria-label="Owned objects">
      <h4 className={headingClass}>Owns</h4>
      {live.error ? (
        <p className="text-xs text-red-700 dark:text-red-400">Could not list them: {live.error}</p>
      ) : live.refused ? (
        <p className="text-xs text-zinc-500">
          You cannot list {noun} here: {live.refused}
        </p>
      ) : !live.received ? (
        <p role="status" className="text-xs text-zinc-500">
          Finding the {noun} it owns…
        </p>
      ) : links.length === 0 ? (
        <p className="text-xs text-zinc-500">No {noun}.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {links.map((o) => (
            <li key={o.view.open} className="flex flex-wrap items-baseline gap-x-2">
              <span className="min-w-0 break-all">
                <DrawerLink view={o.view}>{`${o.kind} ${o.name}`}</DrawerLink>
              </span>
              {o.status ? <span className="text-xs text-zinc-500">{o.status}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The time ages are counted from, moving on every 10 s so "5s ago" does not stand still. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The object's events, newest first, as `kubectl describe` ends with them; they follow the cluster live. */
export function EventsSection({ events, live }: { events: ObjectEvent[]; live: LiveSlice }) {
  const now = useNow();
  return (
    <section aria-label="Events">
      <h4 className={headingClass}>Events</h4>
      {live.error ? (
        <ErrorState title="The events could not be loaded" message={live.error} />
      ) : live.refused ? (
        <p className="text-xs text-zinc-500">You cannot list events here: {live.refused}</p>
      ) : !live.received ? (
        <LoadingState label="Loading the events…" />
      ) : events.length === 0 ? (
        <p className="text-xs text-zinc-500">No events for this object.</p>
      ) : (
        <ol className="space-y-1.5">
          {events.map((e) => {
            const warning = e.type === "Warning";
            return (
              <li
                key={e.key}
                data-event-reason={e.reason}
                className="rounded border border-zinc-200 px-2 py-1.5 text-xs dark:border-zinc-800"
              >
                <div className="flex flex-wrap items-baseline gap-x-2">
                  <span
                    className={
                      warning ? "font-medium text-amber-800 dark:text-amber-300" : "text-zinc-600 dark:text-zinc-400"
                    }
                  >
                    {e.type || "Normal"}
                  </span>
                  <span className="font-medium">{e.reason}</span>
                  {e.count > 1 ? <span className="text-zinc-500">×{e.count}</span> : null}
                  <span className="ml-auto text-zinc-500">
                    {e.at ? (
                      <time dateTime={e.at} title={new Date(e.at).toLocaleString()}>
                        {ageOf(e.at, now)} ago
                      </time>
                    ) : (
                      "time unknown"
                    )}
                  </span>
                </div>
                {e.message ? <p className="mt-0.5 break-words text-zinc-700 dark:text-zinc-300">{e.message}</p> : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
/** Values longer than this (or of several lines) show their start, and the rest on request. */
const LONG_VALUE = 120;
/** Annotations shown before "Show N more". */
const FIRST_ANNOTATIONS = 8;

function AnnotationValue({ value }: { value: string }) {
  const [open, setOpen] = useState(false);
  const long = value.length > LONG_VALUE || value.includes("\n");
  if (!long) return <span className="break-all">{value}</span>;
  return (
    <span className="block min-w-0">
      <span className={open ? "block whitespace-pre-wrap break-all" : "break-all"}>
        {open ? value : `${value.replace(/\s+/g, " ").slice(0, LONG_VALUE)}…`}
      </span>{" "}
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className={toggleClass}>
        {open ? "Show less" : `Show all ${plural(value.length, "character")}`}
      </button>
    </span>
  );
}

/** kubectl's copy of what was applied: JSON, laid out when it parses. */
function lastApplied(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** The annotations: long values folded, kubectl's last-applied copy behind its own toggle. */
export function AnnotationsSection({ object }: { object: KubeItem }) {
  const [all, setAll] = useState(false);
  const [applied, setApplied] = useState(false);
  const annotations = (object.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const entries = Object.entries(annotations).filter(([k]) => k !== LAST_APPLIED);
  const shown = all ? entries : entries.slice(0, FIRST_ANNOTATIONS);
  const copy = annotations[LAST_APPLIED];
  return (
    <section aria-label="Annotations">
      <h4 className={headingClass}>Annotations</h4>
      {entries.length === 0 && !copy ? <p className="text-xs text-zinc-500">No annotations.</p> : null}
      {shown.length ? (
        <dl className="space-y-1 text-xs">
          {shown.map(([k, v]) => (
            <div key={k} className="min-w-0 font-mono">
              <dt className="break-all text-zinc-500">{k}</dt>
              <dd className="pl-3">
                <AnnotationValue value={v} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {entries.length > FIRST_ANNOTATIONS ? (
        <button type="button" aria-expanded={all} onClick={() => setAll(!all)} className={`mt-1 ${toggleClass}`}>
          {all ? "Show fewer" : `Show ${entries.length - FIRST_ANNOTATIONS} more`}
        </button>
      ) : null}
      {copy ? (
        <div className="mt-1">
          <button type="button" aria-expanded={applied} onClick={() => setApplied(!applied)} className={toggleClass}>
            {applied ? "Hide" : "Show"} kubectl&apos;s last-applied configuration ({plural(copy.length, "character")})
          </button>
          {applied ? (
            <pre
              aria-label="Last-applied configuration"
              className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-900"
            >
              {lastApplied(copy)}
            </pre>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** A Secret's keys: the values stay on the server, each key says its size. */
export function SecretDataSection({ keys }: { keys: { key: string; shown: string }[] }) {
  return (
    <section aria-label="Data">
      <h4 className={headingClass}>Data</h4>
      {keys.length ? (
        <dl className="grid grid-cols-[minmax(0,auto)_1fr] gap-x-3 gap-y-0.5 text-xs">
          {keys.map(({ key, shown }) => (
            <div key={key} className="contents">
              <dt className="break-all font-mono">{key}</dt>
              <dd className="text-zinc-500">{shown}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="text-xs text-zinc-500">No data.</p>
      )}
    </section>
  );
}

/** The object as YAML (read-only), with Copy YAML and Download YAML; a Secret's values read "hidden (N bytes)". */
export function YamlSection({ yaml, fileName }: { yaml: string | null; fileName: string }) {
  return (
    <section aria-label="YAML">
      <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">YAML</h4>
        {yaml !== null ? (
          <div className="flex flex-wrap items-center gap-2">
            <CopyButton text={yaml} label="Copy YAML" />
            <DownloadButton text={yaml} filename={fileName} label="Download YAML" />
          </div>
        ) : null}
      </div>
      <pre className="max-h-[60vh] overflow-auto rounded bg-zinc-50 p-3 text-xs dark:bg-zinc-900">{yaml ?? ""}</pre>
    </section>
  );
}
