// Several kas replicas behind a real load balancer: three kas processes share a private Redis, Debian's
// HAProxy (TCP mode) sits in front of their agent ports and their k8s-proxy ports, a real agent connects
// through it, and web's tunnel client talks to one replica while the agent's tunnel is on another.
// Requests cross replicas through KasPeerService; a killed replica, a stopped Redis and a revoked token
// behave as an operator would expect.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { revokeAgentToken } from "@/lib/agents";
import { createPersonalAccessToken } from "@/lib/tokens/access-tokens";
import { AgentNotConnectedError, type TunnelClient } from "@/lib/tunnel-client";
import { apiserverRequest, startPod } from "@/testbed/cluster";
import { freePort, PrivateRedis } from "@/testbed/redis";
import { checkExec, checkFollow, kubectlWith, writeProxyKubeconfig, type Kubectl } from "@/testbed/streaming-checks";
import {
  registerTestAgent,
  scrapeMetrics,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";

const TTL_MS = 3_000;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`${what} did not happen within ${timeoutMs} ms (last error: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

class HaProxy {
  child: ChildProcess | null = null;
  output = "";
  constructor(
    readonly file: string,
    readonly agentPort: number,
    readonly k8sPort: number,
  ) {}
  async start(kas: Record<"a" | "b" | "c", KasProcess>): Promise<void> {
    const server = (name: string, port: number) => `  server ${name} 127.0.0.1:${port} check inter 300 fall 1 rise 1`;
    fs.writeFileSync(
      this.file,
      [
        "global",
        "  maxconn 2000",
        "defaults",
        "  mode tcp",
        "  timeout connect 1s",
        "  timeout client 1h",
        "  timeout server 1h",
        "  timeout tunnel 1h",
        "  retries 3",
        "  option redispatch",
        // Agents land on kas A while it is up, then on B; kubectl lands on kas C.
        "frontend agents",
        `  bind 127.0.0.1:${this.agentPort}`,
        "  default_backend kas_agents",
        "backend kas_agents",
        "  balance first",
        server("a", kas.a.agentPort),
        server("b", kas.b.agentPort),
        server("c", kas.c.agentPort),
        "frontend k8s_proxy",
        `  bind 127.0.0.1:${this.k8sPort}`,
        "  default_backend kas_k8s_proxy",
        "backend kas_k8s_proxy",
        "  balance first",
        server("c", kas.c.k8sProxyPort),
        server("b", kas.b.k8sProxyPort),
        server("a", kas.a.k8sProxyPort),
        "",
      ].join("\n"),
    );
    this.child = spawn("haproxy", ["-db", "-f", this.file], { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (b: Buffer) => (this.output += b.toString()));
    this.child.stderr!.on("data", (b: Buffer) => (this.output += b.toString()));
    await until(
      "haproxy listening",
      () =>
        new Promise<boolean>((resolve) => {
          const s = net.connect(this.k8sPort, "127.0.0.1");
          s.once("connect", () => (s.destroy(), resolve(true)));
          s.once("error", () => resolve(false));
        }),
      10_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; haproxy said: ${this.output}`);
    });
  }
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await exited;
  }
}

describe("several kas replicas behind HAProxy, routed through Redis", () => {
  const tb = inject("testbed");
  const ns = `mk-${Date.now().toString(36)}`;
  let web: WebInternal;
  let redis: PrivateRedis;
  let haproxy: HaProxy;
  const kas = {} as Record<"a" | "b" | "c", KasProcess>;
  const clients = {} as Record<"a" | "b" | "c", TunnelClient>;
  let agent: Proc | undefined;
  let agentId: string;
  let agentToken: string;
  let ownerId: string;
  let k: Kubectl;

  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const replicas = async (via: "a" | "b" | "c") => (await clients[via].agentStatus(agentId)).kasReplicas;
  const names = (body: string) =>
    (JSON.parse(body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);

  beforeAll(async () => {
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "fleet");
    agentId = reg.agentId;
    agentToken = reg.token;
    ownerId = reg.userId;
    const owner = await web.db.user.findUniqueOrThrow({ where: { id: ownerId } });
    await saveAgentConfig(
      web.db,
      { id: ownerId, isAdmin: false },
      agentId,
      `user_access:\n  projects:\n    - id: ${owner.username}/cluster\n`,
    );
    const peerSecretFile = path.join(web.dir, "kas-peer-secret");
    fs.writeFileSync(peerSecretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
    redis = new PrivateRedis(await freePort());
    await redis.start();
    for (const id of ["a", "b", "c"] as const) {
      kas[id] = await startKasProcess(web, {
        TETHER_KAS_ID: `kas-${id}`,
        TETHER_REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        TETHER_KAS_PEER_SECRET_FILE: peerSecretFile,
        TETHER_KAS_REGISTRY_TTL_MS: String(TTL_MS),
        TETHER_KAS_AGENT_WAIT_MS: "15000",
        TETHER_KAS_TOKEN_CACHE_MS: "200",
      });
      clients[id] = tunnelClientFor(web, kas[id]);
    }
    haproxy = new HaProxy(path.join(web.dir, "haproxy.cfg"), await freePort(), await freePort());
    await haproxy.start(kas);
    agent = await startAgentProcess({
      kasAgentPort: haproxy.agentPort,
      token: agentToken,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    // Every replica learns from Redis that the agent's tunnels are on kas A.
    for (const id of ["a", "b", "c"] as const)
      await until(`kas ${id} sees the agent on kas A`, async () => (await replicas(id)).join() === "kas-a", 90_000);
    expect((await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    await startPod(tb, ns, "shell");
    const pat = await createPersonalAccessToken(web.db, { id: ownerId, isAdmin: false }, { name: "fleet" });
    k = kubectlWith(
      tb.kubectlPath,
      writeProxyKubeconfig({
        dir: web.dir,
        name: "fleet",
        port: haproxy.k8sPort,
        caFile: web.proxyCaFile,
        credential: `pat:${agentId}:${pat.token}`,
        namespace: ns,
      }),
    );
  }, 300_000);

  afterAll(async () => {
    await direct("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    for (const c of Object.values(clients)) c.close();
    await agent?.kill();
    for (const p of Object.values(kas)) await p.kill();
    await haproxy?.stop();
    await redis?.stop();
    await web?.close();
  });

  it("web's client on kas B lists (a 3 MB LIST too) and watches through the agent's tunnel on kas A", async () => {
    const big = "z".repeat(100_000);
    for (let i = 0; i < 30; i++) {
      const r = await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, {
        metadata: { name: `big-${String(i).padStart(2, "0")}` },
        data: { v: big },
      });
      expect(r.status, r.body).toBe(201);
    }
    const res = await clients.b.agentFetch(agentId, { path: `/api/v1/namespaces/${ns}/configmaps` });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.length).toBeGreaterThan(3_000_000);
    expect(names(body).filter((n) => n.startsWith("big-"))).toHaveLength(30);

    const list = JSON.parse(body) as { metadata: { resourceVersion: string } };
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of clients.b.agentWatch<{ metadata: { name: string } }>(
        agentId,
        `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Dwatched`,
        { resourceVersion: list.metadata.resourceVersion, signal: abort.signal },
      )) {
        if (ev.type === "ADDED") seen.push(ev.object.metadata.name);
        if (seen.includes("watched")) return;
      }
    })();
    await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "watched" } });
    await watching;
    abort.abort();
    expect(seen).toEqual(["watched"]);

    // kas B served it by forwarding to kas A, which served it from its tunnel.
    const [sentB] = await scrapeMetrics(
      kas.b.observabilityPort,
      'tether_kas_forwarded_requests_total{side="sent",outcome="reserved"}',
    );
    const [servedA] = await scrapeMetrics(
      kas.a.observabilityPort,
      'tether_kas_forwarded_requests_total{side="served",outcome="ok"}',
    );
    expect(sentB).toBeGreaterThanOrEqual(2);
    expect(servedA).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("kubectl through HAProxy's k8s-proxy port (kas C) runs get, apply, logs -f and exec", async () => {
    const applied = await k.run(
      ["apply", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "via-c" }, data: { k: "v" } }),
    );
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/configmap\/via-c created/);
    const got = await k.run(["get", "configmap", "via-c", "-o", "jsonpath={.data.k}"]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe("v");
    if (!tb.streams) throw new Error("the integration testbed must describe its streams");
    await checkFollow(k, tb.streams, ns, "shell");
    await checkExec(k, tb.streams, ns, "shell");
    const [sentC] = await scrapeMetrics(
      kas.c.observabilityPort,
      'tether_kas_forwarded_requests_total{side="sent",outcome="reserved"}',
    );
    expect(sentC).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it("kill -9 of kas A: the agent reconnects within 10 s, watches resume without lost or repeated events, A's entries expire", async () => {
    const list = JSON.parse((await direct("GET", `/api/v1/namespaces/${ns}/configmaps`)).body) as {
      metadata: { resourceVersion: string };
    };
    // A web viewer (through kas B) and kubectl get -w (through kas C), both carried by kas A.
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of clients.b.agentWatch<{ metadata: { name: string } }>(
        agentId,
        `/api/v1/namespaces/${ns}/configmaps?labelSelector=phase%3Dcrash`,
        { resourceVersion: list.metadata.resourceVersion, signal: abort.signal },
      )) {
        if (ev.type === "ADDED") seen.push(ev.object.metadata.name);
        if (seen.includes("after-3")) return;
      }
    })();
    const kw = k.stream(["get", "configmaps", "-l", "phase=crash", "-w", "-o", "name"]);
    const cm = (name: string) =>
      direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name, labels: { phase: "crash" } } });
    await cm("before-1");
    await kw.waitFor(/configmap\/before-1/, 30_000);
    await until("the viewer saw before-1", () => Promise.resolve(seen.includes("before-1")), 30_000);

    const killedAt = Date.now();
    await kas.a.kill("SIGKILL");
    await cm("after-1");
    await cm("after-2");

    // The agent is back, on B or C, and every replica routes to it.
    const back = await until(
      "the agent reconnected",
      async () => {
        const r = await replicas("c");
        return r.length > 0 && !r.includes("kas-a") ? r : null;
      },
      10_000,
    );
    const reconnectMs = Date.now() - killedAt;
    expect(back.some((r) => r === "kas-b" || r === "kas-c")).toBe(true);
    expect(reconnectMs).toBeLessThan(10_000);
    const r = await clients.c.agentFetch(agentId, { path: `/api/v1/namespaces/${ns}/configmaps/before-1` });
    expect(r.status).toBe(200);

    await cm("after-3");
    await watching;
    abort.abort();
    expect(seen).toEqual(["before-1", "after-1", "after-2", "after-3"]);

    // kubectl's own watch ended with kas A; a new one through HAProxy works.
    await kw.stop();
    const kw2 = k.stream(["get", "configmaps", "-l", "phase=crash", "-w", "-o", "name"]);
    await kw2.waitFor(/configmap\/after-3/, 30_000);
    await kw2.stop();

    // kas A could not remove its entry: it expires (TTL) and readers drop it.
    const r2 = new Redis({ port: redis.port, host: "127.0.0.1" });
    r2.on("error", () => undefined);
    try {
      await until(
        "kas A's registry entry expired",
        async () => {
          const raw = await r2.hget(`tether:tunnels:${agentId}`, "kas-a");
          return raw === null || (JSON.parse(raw) as { e: number }).e < Date.now();
        },
        TTL_MS + 5_000,
      );
    } finally {
      r2.disconnect();
    }
  }, 120_000);

  it("Redis stopped for 20 s: same-kas requests work, cross-replica ones name Redis, and all recovers without a restart", async () => {
    const where = (await replicas("c"))[0] as "kas-b" | "kas-c";
    const home = where === "kas-b" ? "b" : "c";
    const other = home === "b" ? "c" : "b";
    await redis.stop();
    const stoppedAt = Date.now();
    try {
      const same = await clients[home].agentFetch(agentId, { path: `/api/v1/namespaces/${ns}/configmaps/via-c` });
      expect(same.status).toBe(200);
      const cross = clients[other].agentFetch(agentId, {
        path: `/api/v1/namespaces/${ns}/configmaps/via-c`,
        timeoutMs: 5_000,
      });
      await expect(cross).rejects.toThrow(AgentNotConnectedError);
      await expect(cross).rejects.toThrow(/tunnel registry \(Redis\) cannot be reached/);
      // kubectl through kas C when the agent is on B gets the same clear refusal (on C itself it just works).
      // kubectl through kas C: served when the agent is on C, refused (503) when it is on B.
      const viaProxy = await k.run(["get", "configmap", "via-c", "-o", "name"]);
      if (home === "c") expect(viaProxy.code, viaProxy.stderr).toBe(0);
      else expect(viaProxy.code).not.toBe(0);
    } finally {
      await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - stoppedAt))));
      await redis.start();
    }
    // The replicas reconnect and rewrite their entries; the cross-replica request succeeds again.
    await until(
      "cross-replica requests work again",
      async () =>
        (await clients[other].agentFetch(agentId, { path: `/api/v1/namespaces/${ns}/configmaps/via-c` })).status ===
        200,
      20_000,
    );
    expect(await replicas(other)).toEqual([`kas-${home}`]);
  }, 150_000);

  it("a revoked token closes the agent's tunnels on every kas within 1 s", async () => {
    // A second agent pod with the same token, straight to the replica the first is not on: tunnels on two replicas.
    const home = (await replicas("b"))[0]!;
    const second = home === "kas-b" ? kas.c : kas.b;
    const pod2 = await startAgentProcess({
      kasAgentPort: second.agentPort,
      token: agentToken,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    try {
      await until("tunnels on two replicas", async () => (await replicas("b")).length === 2, 90_000);
      const token = await web.db.agentToken.findFirstOrThrow({ where: { agentId, revokedAt: null } });
      await revokeAgentToken(web.db, { id: ownerId, isAdmin: false }, agentId, token.id);
      const t0 = Date.now();
      await clients.b.closeAgentTunnels(agentId, false);
      const open = async () => {
        let n = 0;
        for (const p of [kas.b, kas.c])
          n += (await scrapeMetrics(p.observabilityPort, "tether_kas_connected_agents"))[0]!;
        return n;
      };
      // Each replica logs the moment it closes them (its log time; scraping adds no delay to the measure).
      const closed = await Promise.all(
        [kas.b, kas.c].map((p) => p.waitFor(/^agent token revoked: closing its tunnels$/, 10_000)),
      );
      for (const line of closed) expect((line.time as number) - t0).toBeLessThan(1_000);
      await until("every replica closed the tunnels", async () => (await open()) === 0, 5_000);
      // The agent cannot come back with the revoked token.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await open()).toBe(0);
      expect((await clients.b.agentStatus(agentId)).connected).toBe(false);
    } finally {
      await pod2.kill();
    }
  }, 150_000);
});
