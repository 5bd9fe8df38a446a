// kas as its image runs it: `npm run build:kas` bundles it into one JavaScript file and the image holds that
// file alone (deploy/kas/Dockerfile). Here the file is copied to a folder with no node_modules anywhere above
// it and started with plain node, twice, configured as the chart's production values configure kas: every
// listener on all interfaces, a shared tunnel registry in Redis, the peer secret, and each replica's private
// address. Both serve /healthz and /readyz, and an agent connected to one is reached through the other.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, PrivateRedis } from "@/testbed/redis";
import {
  buildBundle,
  registerTestAgent,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";

describe("the kas image's single-file build", () => {
  const tb = inject("testbed");
  let dir: string;
  let web: WebInternal;
  let redis: PrivateRedis;
  const kas: KasProcess[] = [];
  let agent: Proc;
  let agentId: string;
  let clients: ReturnType<typeof tunnelClientFor>[] = [];

  let agentDir: string;

  beforeAll(async () => {
    const bundle = await buildBundle("kas");
    dir = bundle.dir;
    // The agent as its image runs it too: it starts on a fraction of the CPU its sources would need.
    const agentBundle = await buildBundle("agent");
    agentDir = agentBundle.dir;
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "bundled-kas");
    agentId = reg.agentId;
    const peerSecretFile = path.join(web.dir, "kas-peer-secret");
    fs.writeFileSync(peerSecretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
    redis = new PrivateRedis(await freePort());
    await redis.start();
    // As the chart starts them: listening on [::] (IPv4 and IPv6), each reached by the other on its pod IP
    // (TETHER_KAS_POD_IP), here loopback: kas-0 an IPv6 one (dialled as [::1]:port), kas-1 an IPv4 one.
    for (const [id, podIp] of [
      ["kas-0", "::1"],
      ["kas-1", "127.0.0.1"],
    ] as const) {
      const ports = { agent: await freePort(), internal: await freePort(), observability: await freePort() };
      const k = await startKasProcess(
        web,
        {
          TETHER_KAS_ID: id,
          TETHER_KAS_AGENT_ADDRESS: `[::]:${ports.agent}`,
          TETHER_KAS_INTERNAL_ADDRESS: `[::]:${ports.internal}`,
          TETHER_KAS_OBSERVABILITY_ADDRESS: `[::]:${ports.observability}`,
          TETHER_REDIS_URL: redis.url,
          TETHER_KAS_PEER_SECRET_FILE: peerSecretFile,
          TETHER_KAS_POD_IP: podIp,
        },
        ports,
        bundle.file,
      );
      kas.push(k);
    }
    clients = kas.map((k) => tunnelClientFor(web, k));
    agent = await startAgentProcess({
      kasAgentPort: kas[0]!.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      bundle: agentBundle.file,
    });
    await waitForAgent(clients[0]!, agentId, 1, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- agent ---\n${agent.output().slice(-3000)}`);
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await agent?.kill();
    for (const k of kas) await k.kill();
    await redis?.stop();
    await web?.close();
    for (const d of [dir, agentDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it("is what the image runs: the bundle alone, started with node, with no node_modules above it", () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/RUN npm run build:kas/);
    expect(dockerfile).toMatch(/COPY --from=build \/src\/dist\/kas\/ \.\//);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "--enable-source-maps", "main.js"\]/);
    expect(dockerfile).toMatch(/^USER 65532:65532$/m);
    expect(fs.readdirSync(dir).sort()).toEqual(["main.js", "main.js.map"]);
    for (let d = dir; d !== path.dirname(d); d = path.dirname(d))
      expect(fs.existsSync(path.join(d, "node_modules")), d).toBe(false);
    for (const k of kas)
      expect(k.child.spawnargs).toEqual([process.execPath, "--enable-source-maps", path.join(dir, "main.js")]);
  });

  it("serves /healthz and /readyz (and /metrics) on the observability port of every replica", async () => {
    for (const k of kas) {
      const healthz = await fetch(`http://127.0.0.1:${k.observabilityPort}/healthz`);
      expect(healthz.status).toBe(200);
      const readyz = await fetch(`http://127.0.0.1:${k.observabilityPort}/readyz`);
      expect(readyz.status, await readyz.clone().text()).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${k.observabilityPort}/metrics`)).text();
      expect(metrics).toMatch(/^# TYPE \S+ /m);
    }
    // Each replica registered under its own name and private address in the shared registry.
    expect(kas[0]!.output()).toMatch(/"kasId":"kas-0","privateAddress":"\[::1\]:\d+"/);
    expect(kas[1]!.output()).toMatch(/"kasId":"kas-1","privateAddress":"127\.0\.0\.1:\d+"/);
  });

  it("reaches the agent connected to kas-0 through kas-1, over the registry in Redis", async () => {
    const until = Date.now() + 30_000;
    while ((await clients[1]!.agentStatus(agentId)).kasReplicas.join() !== "kas-0") {
      if (Date.now() > until) throw new Error("kas-1 never saw the agent on kas-0");
      await new Promise((r) => setTimeout(r, 200));
    }
    const res = await clients[1]!.agentFetch(agentId, { path: "/api/v1/namespaces/kube-system" });
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toMatchObject({ kind: "Namespace", metadata: { name: "kube-system" } });
  });

  it("stops cleanly on SIGTERM, as Kubernetes stops a pod (exit 0)", async () => {
    const k = kas[1]!;
    const code = await k.kill("SIGTERM");
    expect(code).toBe(0);
    expect(k.output()).toMatch(/"signal":"SIGTERM","msg":"kas stopping"/);
  });
});
