"use client";
// Sections of the object drawer: the owners (links that open each in the drawer: Pod → ReplicaSet →
// Deployment) and a pod's containers with their states, restarts and last termination.
import { usePathname } from "next/navigation";
import { useCustomKinds, viewHref } from "./controls";
import type { KubeItem } from "./kinds";
import { needsDiscovery, ownerLinks } from "./owner-links";
import { podContainers } from "./pod-containers";

const headingClass = "mb-1 text-sm font-medium text-zinc-600 dark:text-zinc-400";
const linkClass =
  "font-medium text-indigo-600 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400";

/** The owners; a link is a new history entry (Back returns to this object) that opens the owner's drawer. */
export function OwnersSection({ agentId, object }: { agentId: string; object: KubeItem }) {
  const pathname = usePathname();
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
              {o.view ? (
                <a
                  href={viewHref(pathname, o.view)}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
                    e.preventDefault();
                    // Next.js keeps useSearchParams in step with pushState: the view follows, Back returns.
                    window.history.pushState(null, "", viewHref(pathname, o.view!));
                  }}
                  className={linkClass}
                >
                  {label}
                </a>
              ) : (
                <span className="font-medium">{label}</span>
              )}
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
