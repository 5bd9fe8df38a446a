// Through the tunnel (web's tunnel client → kas process → agent process → kube-apiserver) the answers
// are the API server's own bytes, watches see every event, and failures have clear, typed errors.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "@/testbed/cluster";
import { CHUNK_SIZE } from "@/lib/common/tunnel-wire";
import { AgentNotConnectedError, TunnelError } from "@/lib/tunnel-client";
import {
  agentObservabilityPort,
  registerTestAgent,
  scrapeMetrics,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";
import { checkExactBytes, checkLargeList, checkWatchInOrder, tunnelRequester } from "@/testbed/tunnel-checks";

describe("tunnel: requests and watches", () => {
  const tb = inject("testbed");
  const ns = `tun-${Date.now().toString(36)}`;
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let agentId: string;
  let client: ReturnType<typeof tunnelClientFor>;

  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const tunnel = (method: string, p: string, body?: unknown) => tunnelRequester(client, agentId)(method, p, body);

  beforeAll(async () => {
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db);
    agentId = reg.agentId;
    kas = await startKasProcess(web);
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    client = tunnelClientFor(web, kas);
    await waitForAgent(client, agentId);
    expect((await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
  });

  afterAll(async () => {
    await direct("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    client?.close();
    await agent?.kill();
    await kas?.kill();
    await web?.close();
  });

  it("get, list, create, patch and delete give the API server's exact bytes", async () => {
    await checkExactBytes(client, agentId, tb, ns);
  });

  it("passes the API server's errors through unchanged (404, 409, 422)", async () => {
    const missing = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe((await direct("GET", `/api/v1/namespaces/${ns}/configmaps/nope`)).body);
    await tunnel("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "dup" } });
    expect((await tunnel("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "dup" } })).status).toBe(
      409,
    );
    expect(
      (await tunnel("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "Not_A_Name" } })).status,
    ).toBe(422);
  });

  it("carries a large LIST (5 MB) intact in body messages", async () => {
    await checkLargeList(client, agentId, tb, ns);
  });

  it("a watch sees every one of 200 changes, in order", async () => {
    await checkWatchInOrder(client, agentId, tb, ns, 200);
  });

  it("a watch event of a few hundred bytes reaches the caller while nothing else is sent", async () => {
    const list = JSON.parse((await direct("GET", `/api/v1/namespaces/${ns}/configmaps`)).body) as {
      metadata: { resourceVersion: string };
    };
    const abort = new AbortController();
    let t0 = 0;
    const arrived = (async () => {
      for await (const ev of client.agentWatch<{ metadata: { name: string } }>(
        agentId,
        `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Dlone`,
        { resourceVersion: list.metadata.resourceVersion, signal: abort.signal },
      )) {
        if (ev.type === "ADDED") return Date.now() - t0;
      }
      return Infinity;
    })();
    t0 = Date.now();
    expect(
      (
        await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, {
          metadata: { name: "lone" },
          data: { note: "a single small change" },
        })
      ).status,
    ).toBe(201);
    // No other write matches this watch and no bookmarks were asked for: a sender that waited for more data would never send it.
    const ms = await Promise.race([
      arrived,
      new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 5_000)),
    ]);
    abort.abort();
    expect(ms).toBeLessThan(5_000);
  });

  it("a 36 MB LIST crosses each hop (agent → kas on the data channel, kas → web) in at most 200 body messages", async () => {
    const bigNs = `${ns}-big`;
    expect((await direct("POST", "/api/v1/namespaces", { metadata: { name: bigNs } })).status).toBe(201);
    try {
      const mb = "y".repeat(1_000_000);
      for (let i = 0; i < 36; i++)
        expect(
          (
            await direct("POST", `/api/v1/namespaces/${bigNs}/configmaps`, {
              metadata: { name: `mb-${i}` },
              data: { mb },
            })
          ).status,
        ).toBe(201);
      const agentPort = await agentObservabilityPort(agent);
      const agentSeries = [
        "tether_agent_tunnel_body_message_bytes_count",
        "tether_agent_tunnel_body_message_bytes_sum",
      ];
      const kasSeries = [
        'tether_kas_tunnel_body_message_bytes_count{direction="response"}',
        'tether_kas_tunnel_body_message_bytes_sum{direction="response"}',
      ];
      const [agentCount0, agentSum0, agentChannel0] = await scrapeMetrics(
        agentPort,
        ...agentSeries,
        "tether_agent_data_channel_bytes_total",
      );
      const [kasChannel0] = await scrapeMetrics(kas.observabilityPort, "tether_kas_data_channel_bytes_total");
      const [kasCount0, kasSum0] = await scrapeMetrics(kas.observabilityPort, ...kasSeries);
      const listed = await tunnel("GET", `/api/v1/namespaces/${bigNs}/configmaps`);
      expect(listed.body.length).toBeGreaterThan(36_000_000);
      // Byte for byte the API server's answer at the same resourceVersion (body buffers are reused on the way).
      const rv = /"resourceVersion":"(\d+)"/.exec(listed.body.slice(0, 300))![1];
      const same = await direct(
        "GET",
        `/api/v1/namespaces/${bigNs}/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`,
      );
      expect(same.body === listed.body).toBe(true);
      const [agentCount1, agentSum1, agentChannel1] = await scrapeMetrics(
        agentPort,
        ...agentSeries,
        "tether_agent_data_channel_bytes_total",
      );
      const [kasChannel1] = await scrapeMetrics(kas.observabilityPort, "tether_kas_data_channel_bytes_total");
      // Agent → kas, the body travels on the data channel, not as gRPC messages.
      expect(agentChannel1! - agentChannel0!).toBeGreaterThanOrEqual(listed.body.length);
      expect(kasChannel1! - kasChannel0!).toBeGreaterThanOrEqual(listed.body.length);
      const [kasCount1, kasSum1] = await scrapeMetrics(kas.observabilityPort, ...kasSeries);
      console.log(
        `36 MB LIST: agent → kas ${agentCount1! - agentCount0!} body messages, kas → web ${kasCount1! - kasCount0!}`,
      );
      expect(agentSum1! - agentSum0!).toBeGreaterThanOrEqual(listed.body.length);
      expect(kasSum1! - kasSum0!).toBeGreaterThanOrEqual(listed.body.length);
      expect(agentCount1! - agentCount0!).toBeLessThanOrEqual(200);
      expect(kasCount1! - kasCount0!).toBeLessThanOrEqual(200);
    } finally {
      await direct("DELETE", `/api/v1/namespaces/${bigNs}`).catch(() => undefined);
    }
  }, 120_000);

  it("a 3 MB request body from web crosses kas in full body messages", async () => {
    const count = 'tether_kas_tunnel_body_message_bytes_count{direction="request"}';
    const sum = 'tether_kas_tunnel_body_message_bytes_sum{direction="request"}';
    const [count0, sum0] = await scrapeMetrics(kas.observabilityPort, count, sum);
    // Just under the API server's 3 MiB limit on a request body, so it reads it all before refusing a ConfigMap over 1 MiB (422).
    const body = JSON.stringify({ metadata: { name: "too-big" }, data: { big: "z".repeat(3_000_000) } });
    const res = await client.agentFetch(agentId, {
      method: "POST",
      path: `/api/v1/namespaces/${ns}/configmaps`,
      body,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe((await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, JSON.parse(body))).status);
    await res.text();
    const [count1, sum1] = await scrapeMetrics(kas.observabilityPort, count, sum);
    // Each message full but the body's last.
    expect(sum1! - sum0!).toBe(body.length);
    expect(count1! - count0!).toBe(Math.ceil(body.length / CHUNK_SIZE));
  }, 60_000);

  it("strips Impersonate-* headers a caller sends, and impersonates only as kas says", async () => {
    const asCaller = await client.agentFetch(agentId, {
      path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      method: "POST",
      headers: { "content-type": "application/json", "impersonate-user": "system:admin-smuggled" },
      body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
    });
    const who = JSON.parse(await asCaller.text()) as { status: { userInfo: { username: string } } };
    expect(who.status.userInfo.username).not.toBe("system:admin-smuggled");
    const impersonated = await client.agentFetch(agentId, {
      path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
      impersonation: { user: "tether:user:alice", groups: ["tether:user"], uid: "", extra: {} },
    });
    const review = JSON.parse(await impersonated.text()) as {
      status: { userInfo: { username: string; groups: string[] } };
    };
    expect(review.status.userInfo.username).toBe("tether:user:alice");
    expect(review.status.userInfo.groups).toContain("tether:user");
  });

  it("an unknown agent fails with 'not connected' after the caller's wait, not a hang", async () => {
    const t0 = Date.now();
    const err = await client
      .agentFetch("no-such-agent", { path: "/version", timeoutMs: 1_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentNotConnectedError);
    expect((err as Error).message).toMatch(/agent no-such-agent is not connected/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("rejects a caller without the shared secret", async () => {
    const { TunnelClient } = await import("@/lib/tunnel-client");
    const stranger = new TunnelClient({
      kasAddress: `127.0.0.1:${kas.internalPort}`,
      secret: "a-different-secret-that-is-long-enough-000",
    });
    const err = await stranger.agentFetch(agentId, { path: "/version" }).catch((e: unknown) => e);
    stranger.close();
    expect(err).toBeInstanceOf(TunnelError);
    expect((err as Error).message).toMatch(/signature|rejected/i);
  });

  it("exposes Prometheus metrics and health on kas", async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${kas.observabilityPort}/metrics`)).text();
    expect(metrics).toMatch(/tether_kas_connected_agents 1/);
    expect(metrics).toMatch(/tether_kas_tunnel_requests_total\{outcome="ok"\} \d+/);
    expect((await fetch(`http://127.0.0.1:${kas.observabilityPort}/readyz`)).status).toBe(200);
    expect(kas.output()).not.toContain("tthr_agent_");
    expect(agent.output()).not.toContain("tthr_agent_");
  });
});
