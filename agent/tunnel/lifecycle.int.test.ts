// The tunnel's lifecycle with real processes: connection rotation at max age, kas restarts, a dead
// agent, a bad token, a revoked token, and the per-agent stream limit.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { revokeAgentToken } from "@/lib/agents";
import { apiserverRequest } from "@/testbed/cluster";
import { AgentNotConnectedError } from "@/lib/tunnel-client";
import {
  metric,
  registerTestAgent,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type WebInternal,
} from "@/testbed/tunnel-stack";
import { checkStreamLimit } from "@/testbed/tunnel-checks";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("tunnel lifecycle", () => {
  const tb = inject("testbed");
  const ns = `life-${Date.now().toString(36)}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  let web: WebInternal;

  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);

  async function setup(kasEnv: Record<string, string> = {}, agentArgs: string[] = []) {
    web ??= await startWebInternal();
    if (!(await direct("GET", `/api/v1/namespaces/${ns}`)).body.includes('"Active"'))
      await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    const reg = await registerTestAgent(web.db, `agent-${Math.random().toString(36).slice(2, 8)}`);
    const kas = await startKasProcess(web, kasEnv);
    const agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      args: agentArgs,
    });
    const client = tunnelClientFor(web, kas);
    cleanups.push(async () => {
      client.close();
      await agent.kill("SIGKILL");
      await kas.kill("SIGKILL");
    });
    return { ...reg, kas, agent, client };
  }

  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await direct("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await web?.close();
  });

  it("five connection rotations (max age 3 s, grace 2 s): no failed request, no lost watch event", async () => {
    const { agentId, client, agent } = await setup({
      TETHER_KAS_MAX_CONNECTION_AGE_MS: "3000",
      TETHER_KAS_MAX_CONNECTION_AGE_GRACE_MS: "2000",
    });
    await waitForAgent(client, agentId);
    const name = `rot-${Date.now().toString(36)}`;
    const created = await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name },
      data: { n: "0" },
    });
    const rv = (JSON.parse(created.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;

    const abort = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const ev of client.agentWatch<{ data?: { n?: string } }>(
        agentId,
        `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3D${name}`,
        { resourceVersion: rv, signal: abort.signal },
      )) {
        seen.push(Number(ev.object.data?.n));
      }
    })();

    const until = Date.now() + 17_000; // more than five rotations of ~3 s
    let requests = 0;
    const failures: string[] = [];
    let n = 0;
    const writer = (async () => {
      while (Date.now() < until) {
        n++;
        await direct("PATCH", `/api/v1/namespaces/${ns}/configmaps/${name}`, { data: { n: String(n) } });
        await sleep(100);
      }
    })();
    while (Date.now() < until) {
      try {
        const res = await client.agentFetch(agentId, { path: `/api/v1/namespaces/${ns}/configmaps/${name}` });
        await res.text();
        if (res.status !== 200) failures.push(`status ${res.status}`);
      } catch (e) {
        failures.push((e as Error).message);
      }
      requests++;
    }
    await writer;
    // Let the watch catch up with the last patch, then stop it.
    const deadline = Date.now() + 10_000;
    while (seen[seen.length - 1] !== n && Date.now() < deadline) await sleep(100);
    abort.abort();
    await watching;

    const rotations = (agent.output().match(/kas connection is being replaced/g) ?? []).length;
    console.log(
      `rotation: ${requests} requests, ${failures.length} failed, ${rotations} rotations, ${n} patches, ${seen.length} watch events`,
    );
    expect(rotations).toBeGreaterThanOrEqual(5);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(50);
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it("kas killed and restarted: the agent reconnects and requests succeed again within 10 s", async () => {
    const { agentId, client, kas, token } = await setup();
    await waitForAgent(client, agentId);
    expect((await client.agentFetch(agentId, { path: "/version" })).status).toBe(200);
    await kas.kill("SIGKILL");
    const restarted = await startKasProcess(
      web,
      {},
      { agent: kas.agentPort, internal: kas.internalPort, observability: kas.observabilityPort },
    );
    cleanups.push(() => restarted.kill("SIGKILL"));
    const t0 = Date.now();
    let ok = false;
    while (!ok && Date.now() - t0 < 10_000) {
      ok = await client
        .agentFetch(agentId, { path: "/version", timeoutMs: 1_000 })
        .then((r) => r.status === 200)
        .catch(() => false);
    }
    console.log(`kas restart: requests succeed again ${Date.now() - t0} ms after kas came back`);
    expect(ok).toBe(true);
    expect(restarted.output()).not.toContain(token);
  });

  it("over TLS: an agent that trusts kas's certificate connects; a plaintext agent cannot", async () => {
    web ??= await startWebInternal();
    const cert = path.join(web.dir, "kas.crt");
    const key = path.join(web.dir, "kas.key");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=kas.test",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    const reg = await registerTestAgent(web.db, "tls-agent");
    const kas = await startKasProcess(web, { TETHER_KAS_TLS_CERT_FILE: cert, TETHER_KAS_TLS_KEY_FILE: key });
    const client = tunnelClientFor(web, kas);
    const plain = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    cleanups.push(async () => {
      client.close();
      await plain.kill("SIGKILL");
      await kas.kill("SIGKILL");
    });
    await plain.waitFor(/tunnel stream to kas failed|cannot register with kas/, 15_000);
    expect((await client.agentStatus(reg.agentId)).connected).toBe(false);
    await plain.kill("SIGKILL");
    const tls = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      args: [`--kas-ca-file=${cert}`],
      scheme: "grpcs",
    });
    cleanups.push(() => tls.kill("SIGKILL"));
    await waitForAgent(client, reg.agentId);
    expect((await client.agentFetch(reg.agentId, { path: "/version" })).status).toBe(200);
  });

  it("two agent pods with one token: both serve requests, and one dying leaves the other serving", async () => {
    const { agentId, client, agent, token, kas } = await setup();
    const second = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    cleanups.push(() => second.kill("SIGKILL"));
    const port = async (p: typeof agent) =>
      ((await p.waitFor(/^agent starting$/)).observability as { port: number }).port;
    const served = async (p: typeof agent) =>
      metric(
        await (await fetch(`http://127.0.0.1:${await port(p)}/metrics`)).text(),
        'tether_agent_requests_total{outcome="ok"}',
      );
    await waitForAgent(client, agentId, 15);
    const status = await client.agentStatus(agentId);
    expect(status.connections).toBe(2);
    for (let i = 0; i < 40; i++) expect((await client.agentFetch(agentId, { path: "/version" })).status).toBe(200);
    const [a, b] = [await served(agent), await served(second)];
    console.log(`two pods: ${a} and ${b} of 40 requests`);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    await agent.kill("SIGKILL");
    await sleep(300);
    for (let i = 0; i < 10; i++) expect((await client.agentFetch(agentId, { path: "/version" })).status).toBe(200);
  });

  it("SIGTERM: the agent and kas exit cleanly (code 0) and promptly", async () => {
    const { agentId, client, agent, kas } = await setup();
    await waitForAgent(client, agentId);
    let t0 = Date.now();
    expect(await agent.kill("SIGTERM")).toBe(0);
    const agentMs = Date.now() - t0;
    t0 = Date.now();
    expect(await kas.kill("SIGTERM")).toBe(0);
    const kasMs = Date.now() - t0;
    console.log(`SIGTERM: agent exited in ${agentMs} ms, kas in ${kasMs} ms`);
    expect(agentMs).toBeLessThan(5_000);
    expect(kasMs).toBeLessThan(7_000);
    expect(agent.output()).toMatch(/agent stopping/);
  });

  it("agent killed: callers get 'not connected' with the last contact time", async () => {
    const { agentId, client, agent } = await setup();
    await waitForAgent(client, agentId);
    const before = Date.now();
    await agent.kill("SIGKILL");
    await sleep(500);
    const status = await client.agentStatus(agentId);
    expect(status.connected).toBe(false);
    const err = await client.agentFetch(agentId, { path: "/version", timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentNotConnectedError);
    const lastSeen = (err as AgentNotConnectedError).lastSeen;
    expect(lastSeen).not.toBeNull();
    expect(lastSeen!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect((err as Error).message).toMatch(/is not connected \(last seen \d{4}-\d\d-\d\dT/);
  });

  it("a bad token: a clear error on both sides, and the agent backs off instead of hammering kas", async () => {
    web ??= await startWebInternal();
    const kas = await startKasProcess(web);
    const agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: "tthr_agent_" + "A".repeat(43),
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    cleanups.push(async () => {
      await agent.kill("SIGKILL");
      await kas.kill("SIGKILL");
    });
    await agent.waitFor(/kas refused the agent token/, 15_000);
    await sleep(8_000);
    const kasMetrics = await (await fetch(`http://127.0.0.1:${kas.observabilityPort}/metrics`)).text();
    const refused = metric(kasMetrics, "tether_kas_agent_auth_failures_total");
    const rounds = (agent.output().match(/kas refused the agent token: [^"]*Check the token/g) ?? []).length;
    console.log(`bad token: ${refused} refused calls at kas, ${rounds} failed rounds logged by the agent in ~8 s`);
    expect(kas.output()).toMatch(/refused an agent call: bad or revoked token/);
    // Without backoff, 10 streams would be retried continuously (thousands of calls in 8 s).
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(rounds).toBeLessThanOrEqual(6);
    expect(refused).toBeLessThan(120);
  });

  it("a revoked token's tunnels are closed (re-check every second here; 30 s by default)", async () => {
    const { agentId, client, userId } = await setup({
      TETHER_KAS_TOKEN_RECHECK_MS: "1000",
      TETHER_KAS_TOKEN_CACHE_MS: "500",
    });
    await waitForAgent(client, agentId);
    const token = await web.db.agentToken.findFirstOrThrow({ where: { agentId } });
    await revokeAgentToken(web.db, { id: userId, isAdmin: false }, agentId, token.id);
    const t0 = Date.now();
    let connected = true;
    while (connected && Date.now() - t0 < 10_000) {
      await sleep(200);
      connected = (await client.agentStatus(agentId)).connected;
    }
    console.log(`revocation: tunnels closed ${Date.now() - t0} ms after the token was revoked`);
    expect(connected).toBe(false);
    await sleep(1_500);
    expect((await client.agentStatus(agentId)).connected).toBe(false);
  });

  it("a stream that served a request is reused; after a burst, unused idle streams are retired down to the minimum", async () => {
    const { agentId, client, kas } = await setup({}, ["--min-idle-streams=2", "--idle-trim-interval-ms=1000"]);
    await waitForAgent(client, agentId, 2);
    const opened = async () =>
      metric(
        await (await fetch(`http://127.0.0.1:${kas.observabilityPort}/metrics`)).text(),
        "tether_kas_tunnel_streams_opened_total",
      );
    // Steady traffic, 8 requests in flight for 300 requests: streams are reused, not reopened.
    const before = await opened();
    for (let i = 0; i < 300; i += 8) {
      await Promise.all(
        Array.from({ length: 8 }, async () =>
          expect((await client.agentFetch(agentId, { path: "/version" })).status).toBe(200),
        ),
      );
    }
    const openedDuringTraffic = (await opened()) - before;
    console.log(`stream reuse: ${openedDuringTraffic} streams opened for 300 requests, 8 in flight`);
    expect(openedDuringTraffic).toBeLessThanOrEqual(16);

    // A burst of 40 one-second watches leaves 40 streams; idle and unused, they are retired to the minimum.
    await Promise.all(
      Array.from({ length: 40 }, async () =>
        (
          await client.agentFetch(agentId, { path: `/api/v1/namespaces/${ns}/configmaps?watch=1&timeoutSeconds=1` })
        ).text(),
      ),
    );
    let s = await client.agentStatus(agentId);
    console.log(`stream trim: ${s.idleStreams} idle after the burst`);
    expect(s.idleStreams).toBeGreaterThanOrEqual(30);
    const t0 = Date.now();
    while (s.idleStreams + s.activeStreams > 4 && Date.now() - t0 < 20_000) {
      await sleep(250);
      s = await client.agentStatus(agentId);
    }
    console.log(`stream trim: ${s.idleStreams} idle after ${Date.now() - t0} ms`);
    expect(s.activeStreams).toBe(0);
    expect(s.idleStreams).toBeGreaterThanOrEqual(2);
    expect(s.idleStreams).toBeLessThanOrEqual(4);
    expect((await client.agentFetch(agentId, { path: "/version" })).status).toBe(200);
  });

  it("500 concurrent watches through one agent; the 501st gets the limit error; after one ends, a new one works", async () => {
    const { agentId, client } = await setup({}, ["--min-idle-streams=20"]);
    await waitForAgent(client, agentId, 20);
    await checkStreamLimit(client, agentId, ns, "agent-");
  });
});
