// The events about one object, as the drawer lists them (`kubectl describe`'s Events): those whose
// involvedObject (core/v1) or regarding (events.k8s.io) is the object, newest first. Pure (tested).
import { eventTime, type KubeEvent } from "@/lib/flux-view/flux-status";
import type { KubeItem } from "./kinds";

/** The object an event must be about: its uid when known, else its kind (when known), namespace and name. */
export interface ObjectRef {
  uid?: string;
  kind?: string;
  namespace?: string;
  name: string;
}

export interface ObjectEvent {
  /** The event's namespace/name, unique in a namespace's list. */
  key: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  /** When it last happened (ISO), or null when the event says nothing of it. */
  at: string | null;
}

type Involved = NonNullable<KubeEvent["involvedObject"]>;

/**
 * Whether `e` is about `ref`. Both uids known: they decide (an object deleted and made again under the same
 * name is another object). Otherwise the name and namespace must match, and the kind when both sides say it.
 */
export function isAbout(e: KubeItem, ref: ObjectRef): boolean {
  const about = (e.involvedObject ?? e.regarding) as Involved | undefined;
  if (!about?.name) return false;
  if (about.uid && ref.uid) return about.uid === ref.uid;
  if (about.name !== ref.name) return false;
  // A namespaced object's event may leave the namespace to the event's own; a cluster-scoped object's (a
  // Node's, recorded in default) names none.
  const namespace = ref.namespace ? about.namespace || e.metadata.namespace || "" : about.namespace || "";
  if (namespace !== (ref.namespace ?? "")) return false;
  return !about.kind || !ref.kind || about.kind === ref.kind;
}

/** The events about `ref`, newest first (ties by name, so the order holds still). */
export function objectEvents(events: Iterable<KubeItem>, ref: ObjectRef): ObjectEvent[] {
  const out: (ObjectEvent & { t: number })[] = [];
  for (const e of events) {
    if (!isAbout(e, ref)) continue;
    const at = eventTime(e as unknown as KubeEvent);
    const series = e.series as { count?: number } | undefined;
    out.push({
      key: `${e.metadata.namespace ?? ""}/${e.metadata.name}`,
      type: String(e.type ?? ""),
      reason: String(e.reason ?? ""),
      message: String(e.message ?? e.note ?? ""),
      count: typeof e.count === "number" ? e.count : typeof series?.count === "number" ? series.count : 1,
      at,
      t: at ? Date.parse(at) : 0,
    });
  }
  return out
    .sort((a, b) => b.t - a.t || a.key.localeCompare(b.key))
    .map(({ t: _t, ...rest }) => {
      void _t;
      return rest;
    });
}
