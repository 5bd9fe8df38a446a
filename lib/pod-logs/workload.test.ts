import { describe, expect, it } from "vitest";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import {
  interleaveLogs,
  QUEUED_EVENTS,
  watchWorkloadPods,
  workloadLogSources,
  workloadLogsQuery,
  type PodChange,
} from "./workload";
import {
  logSources,
  selectorString,
  sourcePrefix,
  workloadLogEvent,
  workloadLogKind,
  type LogSource,
  type PodForLogs,
  type WorkloadLogEvent,
} from "./workload-wire";

/** A log source the test writes to, chunk by chunk. */
function pushable() {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) });
  const enc = new TextEncoder();
  return { stream, write: (t: string) => c.enqueue(enc.encode(t)), end: () => c.close() };
}

/** An async iterable the test pushes to, and ends. */
function queue<T>(): AsyncIterable<T> & { push: (v: T) => void; end: () => void } {
  const items: T[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  return {
    push: (v) => {
      items.push(v);
      wake?.();
    },
    end: () => {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (items.length) yield items.shift()!;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    },
  };
}

/** Reads NDJSON events from the merged stream one at a time. */
function events(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return async (): Promise<WorkloadLogEvent | null> => {
    for (;;) {
      const nl = buffer.indexOf("\n");
      if (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        return workloadLogEvent.parse(JSON.parse(line));
      }
      const { done, value } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

const pod = (name: string, o: Partial<PodForLogs> & { created?: string; ready?: boolean } = {}): PodForLogs => ({
  metadata: { name, creationTimestamp: o.created ?? "2026-01-01T00:00:00Z", ...o.metadata },
  spec: o.spec ?? { containers: [{ name: "main" }, { name: "sidecar" }] },
  status: o.status ?? {
    phase: "Running",
    conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }],
  },
});

describe("a workload's pods' logs interleaved", () => {
  it("writes each source's whole lines in the order they arrive, across sources, and ends when all have", async () => {
    const a = pushable();
    const b = pushable();
    const sources: LogSource[] = [
      { pod: "web-1", container: "main" },
      { pod: "web-2", container: "main" },
    ];
    const logs = { "web-1": a, "web-2": b };
    const next = events(
      interleaveLogs(sources, { total: 2, pods: 2 }, async (s) => logs[s.pod as "web-1" | "web-2"].stream),
    );
    expect(await next()).toEqual({ type: "sources", sources, total: 2, pods: 2, limit: 10 });
    b.write("b one\nb tw");
    expect(await next()).toEqual({ type: "lines", source: 1, lines: ["b one"] });
    a.write("a one\r\n");
    expect(await next()).toEqual({ type: "lines", source: 0, lines: ["a one"] });
    b.write("o\nb three\n");
    expect(await next()).toEqual({ type: "lines", source: 1, lines: ["b two", "b three"] });
    a.write("a unfinished");
    a.end();
    expect(await next()).toEqual({ type: "lines", source: 0, lines: ["a unfinished"] });
    expect(await next()).toEqual({ type: "end", source: 0 });
    b.end();
    expect(await next()).toEqual({ type: "end", source: 1 });
    expect(await next()).toBeNull();
  });

  it("ends a source the cluster refused with the cluster's words and goes on with the others", async () => {
    const b = pushable();
    const next = events(
      interleaveLogs(
        [
          { pod: "web-1", container: "main" },
          { pod: "web-2", container: "main" },
        ],
        { total: 2, pods: 2 },
        async (s) => {
          if (s.pod === "web-1")
            throw new UpstreamStatusError(
              400,
              JSON.stringify({ kind: "Status", message: 'container "main" in pod "web-1" is waiting to start' }),
            );
          return b.stream;
        },
      ),
    );
    expect((await next())?.type).toBe("sources");
    expect(await next()).toEqual({
      type: "end",
      source: 0,
      error: 'container "main" in pod "web-1" is waiting to start',
    });
    b.write("still here\n");
    expect(await next()).toEqual({ type: "lines", source: 1, lines: ["still here"] });
    b.end();
    expect(await next()).toEqual({ type: "end", source: 1 });
    expect(await next()).toBeNull();
  });

  it("cancelling the answer cancels every source", async () => {
    const cancelled: string[] = [];
    const merged = interleaveLogs(
      [
        { pod: "web-1", container: "main" },
        { pod: "web-2", container: "main" },
      ],
      { total: 2, pods: 2 },
      async (s, signal) =>
        new ReadableStream<Uint8Array>({
          start: () => signal.addEventListener("abort", () => cancelled.push(s.pod)),
        }),
    );
    const reader = merged.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"type":"sources"');
    await reader.cancel();
    expect(cancelled.sort()).toEqual(["web-1", "web-2"]);
  });

  it("holds the sources back while the reader falls behind, and reads on as it catches up", async () => {
    // A chatty log that makes a line each time it is read (1,000 at most, so a reader that never waits ends).
    let produced = 0;
    const chatty = new ReadableStream<Uint8Array>(
      {
        pull: (c) => {
          if (produced === 1_000) c.close();
          else c.enqueue(new TextEncoder().encode(`line ${++produced}\n`));
        },
      },
      { highWaterMark: 0 },
    );
    const merged = interleaveLogs([{ pod: "web-1", container: "main" }], { total: 1, pods: 1 }, async () => chatty);
    // Every pending callback and promise settles; nobody reads the merged stream.
    const settle = async () => {
      for (let i = 0; i < 200; i++) await new Promise<void>((r) => setImmediate(r));
    };
    await settle();
    expect(produced).toBeGreaterThanOrEqual(QUEUED_EVENTS - 1);
    expect(produced).toBeLessThanOrEqual(QUEUED_EVENTS + 1);
    const before = produced;
    const next = events(merged);
    for (let i = 0; i < 20; i++) await next();
    await settle();
    expect(produced).toBeGreaterThan(before);
    expect(produced).toBeLessThanOrEqual(before + 20 + 1);
  });

  it("following, picks up a pod that comes and runs, ends a deleted pod's logs, and says how many logs there are", async () => {
    const logs = new Map<string, ReturnType<typeof pushable>>();
    const stopped: string[] = [];
    const changes = queue<PodChange>();
    const pending = (name: string) => pod(name, { status: { phase: "Pending" }, created: "2026-01-02T00:00:00Z" });
    const next = events(
      interleaveLogs(
        [{ pod: "web-1", container: "main" }],
        { total: 1, pods: 1 },
        async (s, signal) => {
          const l = pushable();
          logs.set(s.pod, l);
          signal.addEventListener("abort", () => stopped.push(s.pod));
          return l.stream;
        },
        undefined,
        { pods: [pod("web-1")], allContainers: false, changes: () => changes },
      ),
    );
    expect((await next())?.type).toBe("sources");
    // Scaled up: the new pod is counted at once, its log followed once it runs.
    changes.push({ type: "ADDED", pod: pending("web-2") });
    expect(await next()).toEqual({ type: "total", total: 2, pods: 2 });
    changes.push({ type: "MODIFIED", pod: pod("web-2", { created: "2026-01-02T00:00:00Z" }) });
    expect(await next()).toEqual({ type: "source", source: 1, pod: "web-2", container: "main" });
    logs.get("web-2")!.write("new pod here\n");
    expect(await next()).toEqual({ type: "lines", source: 1, lines: ["new pod here"] });
    // Another change to a pod followed already follows nothing twice.
    changes.push({ type: "MODIFIED", pod: pod("web-2", { created: "2026-01-02T00:00:00Z" }) });
    logs.get("web-1")!.write("old pod here\n");
    expect(await next()).toEqual({ type: "lines", source: 0, lines: ["old pod here"] });
    // Deleted: its log stops, it is said to be gone, and the count drops.
    changes.push({ type: "DELETED", pod: pod("web-1") });
    const after = [await next(), await next(), await next()];
    expect(after).toEqual(
      expect.arrayContaining([
        { type: "gone", pod: "web-1" },
        { type: "end", source: 0 },
        { type: "total", total: 1, pods: 1 },
      ]),
    );
    expect(stopped).toEqual(["web-1"]);
    // The answer lasts while the pods are watched, though no log is read; when the watch ends, it ends.
    logs.get("web-2")!.end();
    expect(await next()).toEqual({ type: "end", source: 1 });
    changes.end();
    expect(await next()).toBeNull();
  });

  it("following, picks up new pods only while fewer than the limit are read", async () => {
    const changes = queue<PodChange>();
    const ten = Array.from({ length: 10 }, (_, i) => pod(`web-${i}`));
    const streams = new Map<string, ReturnType<typeof pushable>>();
    const next = events(
      interleaveLogs(
        ten.map((p) => ({ pod: p.metadata.name, container: "main" })),
        { total: 10, pods: 10 },
        async (s) => {
          const l = pushable();
          streams.set(s.pod, l);
          return l.stream;
        },
        undefined,
        { pods: ten, allContainers: false, changes: () => changes },
      ),
    );
    expect((await next())?.type).toBe("sources");
    changes.push({ type: "ADDED", pod: pod("web-10") });
    expect(await next()).toEqual({ type: "total", total: 11, pods: 11 });
    // One of the ten goes: the waiting pod takes its place.
    changes.push({ type: "DELETED", pod: ten[3]! });
    const after = [await next(), await next(), await next(), await next()];
    expect(after).toEqual(
      expect.arrayContaining([
        { type: "gone", pod: "web-3" },
        { type: "end", source: 3 },
        { type: "source", source: 10, pod: "web-10", container: "main" },
        { type: "total", total: 10, pods: 10 },
      ]),
    );
  });

  it("watches the workload's pods as the viewer from the list's version, and lists again when it is too old", async () => {
    const asked: { rv: string; as: unknown }[] = [];
    let watches = 0;
    const client = {
      async agentJson<T>(): Promise<T> {
        return { items: [pod("web-9")], metadata: { resourceVersion: "90" } } as T;
      },
      agentFetch: () => Promise.reject(new Error("not used")),
      async *agentWatch<T>(
        _agent: string,
        path: string,
        o: { resourceVersion: string; impersonation?: unknown },
      ): AsyncGenerator<{ type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR"; object: T }> {
        expect(path).toBe("/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb");
        asked.push({ rv: o.resourceVersion, as: o.impersonation });
        if (watches++ === 0) {
          yield { type: "ADDED", object: pod("web-3", { metadata: { name: "web-3", resourceVersion: "42" } }) as T };
          throw new UpstreamStatusError(410, JSON.stringify({ kind: "Status", message: "too old resource version" }));
        }
        yield { type: "DELETED", object: pod("web-9") as T };
      },
    };
    const as = { user: "tether:user:ann", groups: [], extra: [] };
    const seen: string[] = [];
    for await (const c of watchWorkloadPods(
      client as never,
      "7",
      "shop",
      "app=web",
      "41",
      as as never,
      new AbortController().signal,
    ))
      seen.push(
        c.type === "RELISTED"
          ? `RELISTED ${c.pods.map((p) => p.metadata.name).join()}`
          : `${c.type} ${c.pod.metadata.name}`,
      );
    expect(seen).toEqual(["ADDED web-3", "RELISTED web-9", "DELETED web-9"]);
    expect(asked).toEqual([
      { rv: "41", as },
      { rv: "90", as },
    ]);
  });

  it("prefixes a line with its pod and container, as kubectl logs --prefix does", () => {
    expect(sourcePrefix({ pod: "web-7d9f-abcde", container: "main" })).toBe("[web-7d9f-abcde/main]");
  });
});

describe("which logs a workload has", () => {
  it("follows running, ready pods first, newest first, each pod's default container, at most the limit", () => {
    const pods = [
      pod("old", { created: "2026-01-01T00:00:00Z" }),
      pod("new", { created: "2026-01-02T00:00:00Z" }),
      pod("pending", { status: { phase: "Pending" } }),
      pod("unready", { ready: false }),
      pod("annotated", {
        created: "2026-01-01T00:00:00Z",
        metadata: { name: "annotated", annotations: { "kubectl.kubernetes.io/default-container": "sidecar" } },
      }),
    ];
    expect(logSources(pods, false).sources).toEqual([
      { pod: "new", container: "main" },
      { pod: "annotated", container: "sidecar" },
      { pod: "old", container: "main" },
      { pod: "unready", container: "main" },
      { pod: "pending", container: "main" },
    ]);
    const many = Array.from({ length: 14 }, (_, i) => pod(`web-${String(i).padStart(2, "0")}`));
    const capped = logSources(many, false);
    expect(capped.total).toBe(14);
    expect(capped.sources).toHaveLength(10);
    expect(capped.sources[0]).toEqual({ pod: "web-00", container: "main" });
  });

  it("with all containers, follows init containers too, and the limit counts containers", () => {
    const withInit = pod("db-0", { spec: { initContainers: [{ name: "migrate" }], containers: [{ name: "db" }] } });
    expect(logSources([withInit], true).sources).toEqual([
      { pod: "db-0", container: "migrate" },
      { pod: "db-0", container: "db" },
    ]);
    const six = Array.from({ length: 6 }, (_, i) => pod(`web-${i}`));
    expect(logSources(six, true)).toMatchObject({ total: 12, sources: { length: 10 } });
  });

  it("writes a LabelSelector as kubectl's labelSelector query", () => {
    expect(
      selectorString({
        matchLabels: { app: "web", tier: "front" },
        matchExpressions: [
          { key: "env", operator: "In", values: ["prod", "canary"] },
          { key: "track", operator: "NotIn", values: ["legacy"] },
          { key: "owner", operator: "Exists" },
          { key: "deprecated", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=web,tier=front,env in (canary,prod),track notin (legacy),owner,!deprecated");
    expect(selectorString(undefined)).toBe("");
  });

  it("knows which collections are workloads with pods' logs", () => {
    expect(workloadLogKind("/apis/apps/v1/namespaces/shop/deployments")).toBe("deployments");
    expect(workloadLogKind("/apis/apps/v1/daemonsets")).toBe("daemonsets");
    expect(workloadLogKind("/apis/batch/v1/namespaces/x/jobs")).toBe("jobs");
    expect(workloadLogKind("/apis/batch/v1/namespaces/x/cronjobs")).toBeNull();
    expect(workloadLogKind("/apis/apps/v1/namespaces/x/jobs")).toBeNull();
    expect(workloadLogKind("/api/v1/namespaces/x/pods")).toBeNull();
  });

  it("reads the workload and lists its pods with its selector, as the viewer", async () => {
    const asked: { path: string; as: unknown }[] = [];
    const client = {
      async agentJson<T>(_agent: string, r: { path: string; impersonation?: unknown }): Promise<T> {
        asked.push({ path: r.path, as: r.impersonation });
        if (r.path.endsWith("/deployments/web")) return { spec: { selector: { matchLabels: { app: "web" } } } } as T;
        return { items: [pod("web-1"), pod("web-2")], metadata: { resourceVersion: "41" } } as T;
      },
      agentFetch: () => Promise.reject(new Error("not used")),
    };
    const as = { user: "tether:user:ann", groups: [], extra: [] };
    const q = workloadLogsQuery.parse({ namespace: "shop", kind: "deployments", name: "web" });
    const found = await workloadLogSources(client, "7", q, as as never, undefined);
    expect(found).toEqual({
      sources: [
        { pod: "web-1", container: "main" },
        { pod: "web-2", container: "main" },
      ],
      total: 2,
      pods: 2,
      selector: "app=web",
      list: { items: [pod("web-1"), pod("web-2")], resourceVersion: "41" },
    });
    expect(asked).toEqual([
      { path: "/apis/apps/v1/namespaces/shop/deployments/web", as },
      { path: "/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb", as },
    ]);
    expect(workloadLogsQuery.safeParse({ namespace: "shop", kind: "cronjobs", name: "web" }).success).toBe(false);
  });
});
