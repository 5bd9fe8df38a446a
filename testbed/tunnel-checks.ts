// The tunnel suite's checks, written once and run over each way an agent's tunnel is made: the agent
// dialling kas (kas/tunnel/tunnel.int.test.ts, agent/tunnel/lifecycle.int.test.ts) and kas dialling a
// receptive agent (kas/receptive/receptive.int.test.ts). Each takes the tunnel client, the agent and
// a namespace of the testbed, and asserts what a caller would notice.
import { expect } from "vitest";
import { ClusterCache } from "@/lib/cluster-cache/cache";
import { liveStream } from "@/lib/cluster-cache/sse";
import { readFrames, type LiveFrame } from "@/lib/cluster-cache/wire";
import { StreamLimitError, type TunnelClient } from "@/lib/tunnel-client";
import { apiserverRequest, type TestbedState } from "./cluster";

type Tb = Pick<TestbedState, "server" | "caFile" | "adminToken">;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A LIST's own resourceVersion is the cluster's newest revision, which any write anywhere (a lease, an
 * event) moves between two calls; the rest of the answer must be the very same bytes.
 */
export const listBytes = (body: string) =>
  body.replace(/^(\{"kind":"[A-Za-z]+List","apiVersion":"[^"]+","metadata":\{"resourceVersion":")\d+/, "$1…");

/** A request through the tunnel, answered with its status and body text. */
export function tunnelRequester(client: TunnelClient, agentId: string) {
  return async (method: string, p: string, body?: unknown, contentType = "application/json") => {
    const res = await client.agentFetch(agentId, {
      method,
      path: p,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { "content-type": contentType },
    });
    return { status: res.status, body: await res.text() };
  };
}

/** get, list, create, patch and delete through the tunnel give the API server's exact bytes. */
export async function checkExactBytes(client: TunnelClient, agentId: string, tb: Tb, ns: string): Promise<void> {
  const tunnel = tunnelRequester(client, agentId);
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const created = await tunnel("POST", `/api/v1/namespaces/${ns}/configmaps`, {
    metadata: { name: "alpha" },
    data: { color: "blue" },
  });
  expect(created.status).toBe(201);
  expect(created.body).toBe((await direct("GET", `/api/v1/namespaces/${ns}/configmaps/alpha`)).body);

  const got = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps/alpha`);
  expect(got.status).toBe(200);
  expect(got.body).toBe((await direct("GET", `/api/v1/namespaces/${ns}/configmaps/alpha`)).body);

  const patched = await tunnel(
    "PATCH",
    `/api/v1/namespaces/${ns}/configmaps/alpha`,
    { data: { color: "green" } },
    "application/merge-patch+json",
  );
  expect(patched.status).toBe(200);
  expect(JSON.parse(patched.body).data).toEqual({ color: "green" });
  expect(patched.body).toBe((await direct("GET", `/api/v1/namespaces/${ns}/configmaps/alpha`)).body);

  const listed = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps`);
  expect(listBytes(listed.body)).toBe(listBytes((await direct("GET", `/api/v1/namespaces/${ns}/configmaps`)).body));
  expect(JSON.parse(listed.body).items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain("alpha");

  const dryTunnel = await tunnel("DELETE", `/api/v1/namespaces/${ns}/configmaps/alpha?dryRun=All`);
  expect(dryTunnel.body).toBe((await direct("DELETE", `/api/v1/namespaces/${ns}/configmaps/alpha?dryRun=All`)).body);

  const deleted = await tunnel("DELETE", `/api/v1/namespaces/${ns}/configmaps/alpha`);
  expect(deleted.status).toBe(200);
  expect((await direct("GET", `/api/v1/namespaces/${ns}/configmaps/alpha`)).status).toBe(404);
}

/** A LIST of 10 ConfigMaps of 500 kB (over 5 MB) arrives byte for byte as the API server sends it. */
export async function checkLargeList(client: TunnelClient, agentId: string, tb: Tb, ns: string): Promise<void> {
  const tunnel = tunnelRequester(client, agentId);
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const big = "x".repeat(500_000);
  for (let i = 0; i < 10; i++)
    expect(
      (await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: `big-${i}` }, data: { big } }))
        .status,
    ).toBe(201);
  const viaTunnel = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps?labelSelector=`);
  const viaDirect = await direct("GET", `/api/v1/namespaces/${ns}/configmaps?labelSelector=`);
  expect(viaTunnel.body.length).toBeGreaterThan(5_000_000);
  expect(listBytes(viaTunnel.body)).toBe(listBytes(viaDirect.body));
}

/** A watch through the tunnel sees every one of `changes` changes (made straight on the API server), in order. */
export async function checkWatchInOrder(
  client: TunnelClient,
  agentId: string,
  tb: Tb,
  ns: string,
  changes = 200,
): Promise<void> {
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const list = JSON.parse((await direct("GET", `/api/v1/namespaces/${ns}/configmaps`)).body) as {
    metadata: { resourceVersion: string };
  };
  const abort = new AbortController();
  const seen: string[] = [];
  const watching = (async () => {
    for await (const ev of client.agentWatch<{ metadata: { name: string }; data?: { n?: string } }>(
      agentId,
      `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Dcounter`,
      { resourceVersion: list.metadata.resourceVersion, signal: abort.signal },
    )) {
      seen.push(`${ev.type}:${ev.object.data?.n ?? ""}`);
      if (ev.type === "DELETED") break;
    }
  })();
  await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "counter" }, data: { n: "0" } });
  for (let i = 1; i < changes - 1; i++) {
    const r = await direct("PATCH", `/api/v1/namespaces/${ns}/configmaps/counter`, { data: { n: String(i) } });
    expect(r.status, r.body).toBe(200);
  }
  await direct("DELETE", `/api/v1/namespaces/${ns}/configmaps/counter`);
  await watching;
  abort.abort();
  const last = changes - 2;
  const expected = ["ADDED:0", ...Array.from({ length: last }, (_, i) => `MODIFIED:${i + 1}`), `DELETED:${last}`];
  expect(seen).toEqual(expected);
}

/**
 * 500 concurrent watches through one agent; the 501st request gets the limit error naming the agent;
 * after one ends, a new request works. `agentName` is the name the error names.
 */
export async function checkStreamLimit(
  client: TunnelClient,
  agentId: string,
  ns: string,
  agentName: RegExp | string,
): Promise<void> {
  const aborts: AbortController[] = [];
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  const open = async () => {
    const abort = new AbortController();
    const res = await client.agentFetch(agentId, {
      // Of one name no object has: a watch that holds its stream while sending nothing (the namespace may
      // hold megabytes of ConfigMaps that 500 initial listings would otherwise send).
      path: `/api/v1/namespaces/${ns}/configmaps?watch=1&timeoutSeconds=600&fieldSelector=metadata.name%3Dno-such-object`,
      signal: abort.signal,
      timeoutMs: 30_000,
    });
    expect(res.status).toBe(200);
    aborts.push(abort);
    readers.push(res.body!.getReader());
  };
  try {
    const t0 = Date.now();
    for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 50 }, () => open()));
    console.log(`stream limit: 500 watches open in ${Date.now() - t0} ms`);
    expect(aborts).toHaveLength(500);
    expect((await client.agentStatus(agentId)).activeStreams).toBe(500);

    const err = await client.agentFetch(agentId, { path: "/version" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamLimitError);
    expect((err as Error).message).toMatch(/has all 500 tunnel streams in use/);
    if (typeof agentName === "string") expect((err as Error).message).toContain(agentName);
    else expect((err as Error).message).toMatch(agentName);

    // End one watch; once kas has seen it end, a new request gets a stream again.
    aborts[0]!.abort();
    const t1 = Date.now();
    while ((await client.agentStatus(agentId)).activeStreams >= 500 && Date.now() - t1 < 5_000) await sleep(20);
    const after = await client.agentFetch(agentId, { path: "/version", timeoutMs: 10_000 });
    expect(after.status).toBe(200);
  } finally {
    for (const a of aborts) a.abort();
  }
}

/**
 * The live view as the Cluster tab gets it (the cluster cache's server-sent events) over the tunnel: a
 * snapshot of the current objects, then the changes made on the API server, in order.
 */
export async function checkLiveView(client: TunnelClient, agentId: string, tb: Tb, ns: string): Promise<void> {
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const cm = (name: string) => ({ metadata: { name, labels: { run: "live" } }, data: { step: "0" } });
  expect((await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, cm("before"))).status).toBe(201);
  const cache = new ClusterCache(client, 60_000);
  const abort = new AbortController();
  try {
    const stream = await liveStream(
      cache,
      [{ agentId, path: `/api/v1/namespaces/${ns}/configmaps?labelSelector=run%3Dlive` }],
      null,
      "live",
      abort.signal,
    );
    const frames: LiveFrame[] = [];
    const changes = () =>
      frames.flatMap((f) =>
        f.event === "changes" ? f.data.events.map((e) => `${e.type} ${e.object.metadata.name}`) : [],
      );
    const reading = (async () => {
      const until = Date.now() + 20_000;
      for await (const f of readFrames(stream)) {
        frames.push(f);
        if (changes().length >= 3 || Date.now() >= until) break;
      }
    })();
    const until = Date.now() + 10_000;
    while (!frames.some((f) => f.event === "snapshot") && Date.now() < until) await sleep(50);
    const snapshot = frames.find((f) => f.event === "snapshot");
    expect(
      snapshot?.event === "snapshot" ? snapshot.data.collections[0]!.items.map((o) => o.metadata.name) : null,
    ).toEqual(["before"]);
    expect((await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, cm("after"))).status).toBe(201);
    expect((await direct("PATCH", `/api/v1/namespaces/${ns}/configmaps/after`, { data: { step: "1" } })).status).toBe(
      200,
    );
    expect((await direct("DELETE", `/api/v1/namespaces/${ns}/configmaps/before`)).status).toBe(200);
    await reading;
    expect(changes()).toEqual(["ADDED after", "MODIFIED after", "DELETED before"]);
  } finally {
    abort.abort();
    cache.stopAll();
  }
}
