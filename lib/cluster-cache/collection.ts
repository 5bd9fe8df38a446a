// One watched collection of a cluster: LIST, then WATCH from the list's resourceVersion through the
// tunnel, shared by every viewer with the same key (agent, identity, resource, namespace). Keeps the
// objects (without managedFields) and a bounded ring of recent events, so a viewer that reconnects
// resumes from its last event id; one that fell too far behind gets a fresh snapshot instead. A 410
// Gone from the API server relists and turns the difference into ordinary events.
import type { AgentRequest, TunnelClient, WatchEvent } from "@/lib/tunnel-client";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import { backoffDelay, type BackoffLimits } from "@/lib/common/backoff";
import { podSummary, summarises } from "./summary";
import { objectKey, SECRET_BYTES_FIELD, type ChangeType, type KubeObject, type UpstreamState } from "./wire";

export interface CollectionEvent {
  /** Increases by one per event of this collection. */
  seq: number;
  type: ChangeType;
  object: KubeObject;
}

export type CollectionListener = (e: CollectionEvent) => void;

export interface CollectionKey {
  agentId: string;
  /** The API path of the collection, e.g. /api/v1/namespaces/default/configmaps */
  path: string;
  impersonation?: AgentRequest["impersonation"];
}

type Client = Pick<TunnelClient, "agentJson" | "agentWatch">;

/** Retries of the upstream watch while the agent is away: the first soon (as before), later ones spread out and capped, since a viewer is waiting. */
const WATCH_RETRY: BackoffLimits = { baseMs: 500, capMs: 5_000 };

/**
 * What is cached and sent: no managedFields, and for Secrets the key names and their values' sizes only
 * (values never leave the server).
 */
export function forViewers(o: KubeObject, isSecret: boolean): KubeObject {
  let out = o;
  if (o.metadata.managedFields) {
    const { managedFields: _drop, ...metadata } = o.metadata;
    void _drop;
    out = { ...out, metadata };
  }
  if (isSecret || o.kind === "Secret") {
    const keysOnly = (d: unknown) =>
      d && typeof d === "object" ? Object.fromEntries(Object.keys(d).map((k) => [k, ""])) : undefined;
    const sizes = (d: unknown) =>
      d && typeof d === "object"
        ? Object.fromEntries(
            Object.entries(d).map(([k, v]) => [k, typeof v === "string" ? Buffer.byteLength(v, "base64") : 0]),
          )
        : undefined;
    out = { ...out, data: keysOnly(o.data), stringData: undefined, [SECRET_BYTES_FIELD]: sizes(o.data) };
    const annotations = out.metadata as { annotations?: Record<string, string> };
    if (annotations.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]) {
      const { "kubectl.kubernetes.io/last-applied-configuration": _secret, ...rest } = annotations.annotations;
      void _secret;
      out = { ...out, metadata: { ...out.metadata, annotations: rest } as KubeObject["metadata"] };
    }
  }
  return out;
}

export class WatchedCollection {
  private static started = 0;
  /**
   * Which collection of this process this is: a collection stopped after its last viewer left and started again
   * under the same key counts its events from 1 again, so an event id names the generation with the sequence
   * (sse.ts), and an id from the stopped one gets a snapshot rather than the new one's events as a difference.
   */
  readonly generation = ++WatchedCollection.started;
  /** The collection's objects by namespace/name; changed only through setObject and deleteObject. */
  private readonly byKey = new Map<string, KubeObject>();
  get objects(): ReadonlyMap<string, KubeObject> {
    return this.byKey;
  }
  private ring: CollectionEvent[] = [];
  private seq = 0;
  /** The snapshot's items as JSON bytes, made once per version of the collection for every stream (sse.ts). */
  private itemsBytes: Uint8Array | null = null;
  private resourceVersion = "";
  private readonly listeners = new Set<CollectionListener>();
  private readonly stateListeners = new Set<(state: UpstreamState) => void>();
  /** Whether the upstream watch is flowing; viewers show it (Live / Reconnecting). */
  state: UpstreamState = "live";
  /** The first LIST is in: `objects` is the collection (a warm cache may be read without waiting). */
  listed = false;
  private abort: AbortController | null = null;
  private ready: Promise<void> | null = null;
  private readonly isSecret: boolean;
  /** Pods are kept and sent as summaries (summary.ts). */
  private readonly summarised: boolean;
  /** Set when the upstream watch failed for good (for example 403): viewers are told. */
  error: Error | null = null;
  /** Events emitted since start, and relists after 410 Gone: read by the cache's metrics. */
  eventsTotal = 0;
  relists = 0;

  constructor(
    private readonly client: Client,
    readonly key: CollectionKey,
    private readonly ringSize = 10_000,
  ) {
    this.isSecret = /\/secrets(\?|$)/.test(key.path);
    this.summarised = summarises(key.path);
  }

  get lastSeq(): number {
    return this.seq;
  }

  get viewers(): number {
    return this.listeners.size;
  }

  /** Starts the LIST + WATCH once; resolves when the first snapshot is in. */
  start(): Promise<void> {
    this.ready ??= this.run();
    return this.ready;
  }

  stop(): void {
    this.abort?.abort();
  }

  subscribe(fn: CollectionListener, onState?: (state: UpstreamState) => void): () => void {
    this.listeners.add(fn);
    if (onState) this.stateListeners.add(onState);
    return () => {
      this.listeners.delete(fn);
      if (onState) this.stateListeners.delete(onState);
    };
  }

  private setState(state: UpstreamState): void {
    if (this.state === state) return;
    this.state = state;
    for (const fn of this.stateListeners) fn(state);
  }

  /** Events after `seq`, or null when they have left the ring (the viewer needs a snapshot). */
  since(seq: number): CollectionEvent[] | null {
    if (seq === this.seq) return [];
    const first = this.ring[0];
    if (!first || seq < first.seq - 1 || seq > this.seq) return null;
    return this.ring.filter((e) => e.seq > seq);
  }

  snapshot(): { seq: number; items: KubeObject[] } {
    return { seq: this.seq, items: [...this.objects.values()] };
  }

  /**
   * The snapshot's items as the UTF-8 bytes of their JSON array: serialized once per version of the
   * collection and shared by every stream that sends a snapshot meanwhile (10,000 pods are ~3.7 MB of JSON,
   * tens of milliseconds of CPU per viewer otherwise). Read-only: callers send it, never change it.
   */
  snapshotBytes(): { seq: number; bytes: Uint8Array } {
    this.itemsBytes ??= new TextEncoder().encode(JSON.stringify([...this.objects.values()]));
    return { seq: this.seq, bytes: this.itemsBytes };
  }

  /** Every change of the objects goes through here or deleteObject: the snapshot's bytes are then stale. */
  private setObject(key: string, o: KubeObject): void {
    this.byKey.set(key, o);
    this.itemsBytes = null;
  }

  private deleteObject(key: string): void {
    if (this.byKey.delete(key)) this.itemsBytes = null;
  }

  private emit(type: CollectionEvent["type"], object: KubeObject): void {
    const e: CollectionEvent = { seq: ++this.seq, type, object };
    this.eventsTotal++;
    this.ring.push(e);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    for (const fn of this.listeners) fn(e);
  }

  private keep(o: KubeObject): KubeObject {
    const kept = forViewers(o, this.isSecret);
    return this.summarised ? podSummary(kept) : kept;
  }

  /**
   * LISTs the collection in pages. The first LIST of a collection may come from the API server's watch
   * cache (`resourceVersion=0`, as client-go's informers start): no etcd read per page, and the watch
   * that follows brings anything newer. A relist after 410 Gone reads the latest state instead.
   */
  private async list(fromCache = false): Promise<Map<string, KubeObject>> {
    const items = new Map<string, KubeObject>();
    let cont = "";
    do {
      const sep = this.key.path.includes("?") ? "&" : "?";
      const page = await this.client.agentJson<{
        metadata: { resourceVersion: string; continue?: string };
        items: KubeObject[];
      }>(this.key.agentId, {
        path: `${this.key.path}${sep}limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : fromCache ? "&resourceVersion=0" : ""}`,
        impersonation: this.key.impersonation,
      });
      for (const o of page.items) items.set(objectKey(o), this.keep(o));
      this.resourceVersion = page.metadata.resourceVersion;
      cont = page.metadata.continue ?? "";
    } while (cont);
    return items;
  }

  /** After a relist: the difference becomes events, so viewers never see a storm or a gap. */
  private applyList(next: ReadonlyMap<string, KubeObject>): void {
    for (const [k, o] of this.byKey) {
      if (!next.has(k)) {
        this.deleteObject(k);
        this.emit("DELETED", o);
      }
    }
    for (const [k, o] of next) {
      const old = this.byKey.get(k);
      this.setObject(k, o);
      if (!old) this.emit("ADDED", o);
      else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) this.emit("MODIFIED", o);
    }
  }

  private async run(): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    const first = await this.list(true);
    for (const [k, o] of first) this.setObject(k, o);
    this.listed = true;
    void (async () => {
      let failures = 0;
      const onState = (st: UpstreamState) => {
        if (st === "live") failures = 0;
        this.setState(st);
      };
      while (!signal.aborted) {
        try {
          const events = this.client.agentWatch<KubeObject>(this.key.agentId, this.key.path, {
            resourceVersion: this.resourceVersion,
            signal,
            impersonation: this.key.impersonation,
            onState,
          });
          for await (const ev of events as AsyncGenerator<WatchEvent<KubeObject>>) {
            const o = this.keep(ev.object);
            this.resourceVersion = o.metadata.resourceVersion ?? this.resourceVersion;
            if (ev.type === "DELETED") this.deleteObject(objectKey(o));
            else if (ev.type === "ADDED" || ev.type === "MODIFIED") this.setObject(objectKey(o), o);
            else continue;
            this.emit(ev.type, o);
          }
        } catch (e) {
          if (signal.aborted) return;
          if (e instanceof UpstreamStatusError && e.status === 410) {
            // Too old: relist and send only the difference.
            this.relists++;
            this.applyList(await this.list().catch(() => this.objects));
            continue;
          }
          if (e instanceof UpstreamStatusError && (e.status === 401 || e.status === 403 || e.status === 404)) {
            this.error = e;
            return;
          }
          this.setState("reconnecting");
          await new Promise((r) => setTimeout(r, backoffDelay(++failures, Math.random, WATCH_RETRY))); // agent not connected or kas down: try again
        }
      }
    })();
  }
}
