// Push → webhook → kas → agent → GitRepository annotated, with real processes and a real cluster: web's
// delivery handling on a real database (the route's function), kas and agent processes, Flux's own CRDs
// (testbed/flux: the pinned controllers' modules). No Flux controller runs here: the test reads the
// annotation the agent writes, and the agents' patch counters.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { createOrRotateRepositoryWebhook, kasPushNotifier, receiveDelivery } from "@/lib/gitops";
import { apiserverRequest } from "@/testbed/cluster";
import { applyFluxCrds } from "@/testbed/flux";
import { freePort, PrivateRedis } from "@/testbed/redis";
import {
  agentObservabilityPort,
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

process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");

const REPO_HTTP = "https://git.example.com/acme/deploy.git";
const REPO_SSH = "git@git.example.com:acme/deploy.git";
const ANNOTATION = "reconcile.fluxcd.io/requestedAt";

/** Generous waits: on a loaded machine (many engineers' builds on two cores) a process may take a minute to start. */
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("flux: a push reconciles through the agent", { timeout: 300_000 }, () => {
  const tb = inject("testbed");
  const ns = `flux-${Date.now().toString(36)}`;
  const api = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const grPath = (name = "") =>
    `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories${name ? `/${name}` : ""}`;
  let web: WebInternal;
  let kas: KasProcess;
  const agents: Proc[] = [];
  let agentId = "";
  let token = "";
  let webhookId = "";
  let secret = "";
  let pushNo = 0;
  let actor = { id: "", isAdmin: false };

  const requestedAt = async (name: string): Promise<string | null> => {
    const r = await api("GET", grPath(name));
    const o = JSON.parse(r.body) as { metadata?: { annotations?: Record<string, string> } };
    return o.metadata?.annotations?.[ANNOTATION] ?? null;
  };

  /** A GitLab push delivery, signed with the webhook's token; resolves to the recorded push id. */
  async function push(opts: { url?: string; ref?: string; via?: KasProcess } = {}): Promise<string> {
    pushNo++;
    const body = Buffer.from(
      JSON.stringify({
        object_kind: "push",
        ref: opts.ref ?? "refs/heads/main",
        after: pushNo.toString(16).padStart(40, "0"),
        project: { git_ssh_url: opts.url ?? REPO_SSH, git_http_url: opts.url ?? REPO_HTTP },
        repository: { name: "deploy", git_ssh_url: opts.url ?? REPO_SSH, git_http_url: opts.url ?? REPO_HTTP },
      }),
    );
    const headers = new Headers({
      "content-type": "application/json",
      "x-gitlab-event": "Push Hook",
      "x-gitlab-token": secret,
      "x-gitlab-event-uuid": `delivery-${ns}-${pushNo}`,
    });
    const notify = kasPushNotifier(`127.0.0.1:${(opts.via ?? kas).internalPort}`, web.secretFile);
    const answer = await receiveDelivery(web.db, webhookId, headers, body, notify);
    expect(answer.status).toBe(202);
    return answer.body.pushId as string;
  }

  const outcome = (pushId: string) =>
    web.db.gitPushOutcome.findUnique({ where: { pushId_agentId: { pushId, agentId } } });

  const answered = (pushId: string) =>
    until(`the agent's answer to push ${pushId}`, async () => {
      const o = await outcome(pushId);
      return o && !["pending", "notified", "not_connected"].includes(o.state) ? o : null;
    });

  async function startAgent(to: KasProcess = kas): Promise<Proc> {
    const a = await startAgentProcess({
      kasAgentPort: to.agentPort,
      token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      // The default long poll (kas holds the call 5 min): a saved configuration arrives because web tells kas.
      args: ["--flux-coalesce-ms=1000", `--flux-lease-namespace=${ns}`],
    });
    agents.push(a);
    await a.waitFor(/^flux configuration applied$/, 90_000);
    return a;
  }

  const patchesOf = async (a: Proc) =>
    (await scrapeMetrics(await agentObservabilityPort(a), "tether_agent_flux_patches_total"))[0]!;
  const leaderOf = async (a: Proc) =>
    (await scrapeMetrics(await agentObservabilityPort(a), "tether_agent_flux_leader"))[0]!;

  beforeAll(async () => {
    expect((await api("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    await applyFluxCrds(tb);
    await until("the GitRepository CRD to be served", async () => (await api("GET", grPath())).status === 200);
    const gitRepository = (name: string, url: string, ref?: Record<string, string>) =>
      api("POST", grPath(), {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "GitRepository",
        metadata: { name, namespace: ns },
        spec: { url, interval: "10m", ...(ref ? { ref } : {}) },
      });
    for (const [name, url, ref] of [
      ["deploy-https", "https://GIT.example.com/acme/deploy", { branch: "main" }],
      ["deploy-ssh", "ssh://git@git.example.com:2222/acme/deploy.git", undefined],
      ["deploy-dev", REPO_HTTP, { branch: "dev" }],
      ["other-repo", "https://git.example.com/acme/other.git", { branch: "main" }],
    ] as const)
      expect((await gitRepository(name, url, ref)).status).toBe(201);

    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "flux");
    agentId = reg.agentId;
    token = reg.token;
    actor = { id: reg.userId, isAdmin: false };
    const { projectId } = await web.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    await saveAgentConfig(web.db, actor, agentId, `flux:\n  namespaces: [${ns}]\n`);
    const hook = await createOrRotateRepositoryWebhook(web.db, actor, projectId);
    webhookId = hook.url.split("/").pop()!;
    secret = hook.secret;
    kas = await startKasProcess(web);
  });

  const extra: { stop(): Promise<unknown> }[] = [];
  afterAll(async () => {
    for (const a of agents) await a.kill("SIGKILL");
    await kas?.kill("SIGKILL");
    for (const e of extra) await e.stop();
    await api("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await web?.close();
  });

  it("annotates the GitRepository objects that follow the pushed repository and branch, and nothing else", async () => {
    const agent = await startAgent();
    await agent.waitFor(/^became leader$/, 90_000);
    const before = new Date();
    const pushId = await push();
    const o = await answered(pushId);
    expect(o).toMatchObject({ state: "reconciled", objects: 2 });
    for (const name of ["deploy-https", "deploy-ssh"]) {
      const at = await requestedAt(name);
      expect(at, name).not.toBeNull();
      expect(new Date(at!).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    }
    expect(await requestedAt("deploy-dev")).toBeNull();
    expect(await requestedAt("other-repo")).toBeNull();
    // The merge patch touched the annotation only: the spec is as it was.
    const obj = JSON.parse((await api("GET", grPath("deploy-https"))).body) as { spec: { url: string } };
    expect(obj.spec.url).toBe("https://GIT.example.com/acme/deploy");

    const none = await push({ url: "https://git.example.com/acme/unknown.git" });
    expect(await answered(none)).toMatchObject({ state: "no_match", objects: 0 });
  });

  it("two agent processes with one token: exactly one annotates each push", async () => {
    const second = await startAgent();
    const [first] = agents;
    const before = (await patchesOf(first!)) + (await patchesOf(second));
    for (let i = 0; i < 3; i++) expect(await answered(await push())).toMatchObject({ state: "reconciled", objects: 2 });
    const after = (await patchesOf(first!)) + (await patchesOf(second));
    expect(after - before).toBe(6);
    expect((await leaderOf(first!)) + (await leaderOf(second))).toBe(1);
  });

  it("a burst of 100 pushes leads to a handful of patches, the last push among them", async () => {
    const before = (await Promise.all(agents.map(patchesOf))).reduce((a, b) => a + b, 0);
    const ids: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 10; i++) ids.push(...(await Promise.all(Array.from({ length: 10 }, () => push()))));
    const lastSent = Date.now();
    const outcomes = await Promise.all(ids.map(answered));
    expect(outcomes.every((o) => o.state === "reconciled" && o.objects === 2)).toBe(true);
    const patches = (await Promise.all(agents.map(patchesOf))).reduce((a, b) => a + b, 0) - before;
    // One reconcile per coalescing window (1 s) over the burst, plus the trailing one; two objects each.
    const windows = Math.ceil((lastSent - started) / 1000) + 2;
    expect(patches).toBeGreaterThanOrEqual(2);
    expect(patches).toBeLessThanOrEqual(2 * windows);
    expect(patches).toBeLessThan(200);
    // The last push led to a patch made after it arrived.
    expect(new Date((await requestedAt("deploy-https"))!).getTime()).toBeGreaterThanOrEqual(lastSent - 1000);
  });

  it("a saved configuration applies at once, without a restart: Flux off, then on again", async () => {
    /** Every agent's latest "flux configuration applied" line says `enabled`. */
    const applied = (enabled: boolean) =>
      until(`every agent to apply enabled: ${enabled}`, async () =>
        agents.every(
          (a) =>
            a
              .output()
              .split("\n")
              .filter((l) => l.includes('"msg":"flux configuration applied"'))
              .at(-1)
              ?.includes(`"enabled":${enabled}`) === true,
        ),
      );
    // As PUT /api/agents/:id/config does: save, then tell kas (the agents' calls are held up to 5 minutes).
    const save = async (yaml: string) => {
      await saveAgentConfig(web.db, actor, agentId, yaml);
      await tunnelClientFor(web, kas).notifyAgentConfig(agentId);
      return Date.now();
    };
    let savedAt = await save(`flux:\n  enabled: false\n  namespaces: [${ns}]\n`);
    await applied(false);
    const offMs = Date.now() - savedAt;
    const before = await requestedAt("deploy-https");
    expect(await answered(await push())).toMatchObject({ state: "disabled", objects: 0 });
    expect(await requestedAt("deploy-https")).toBe(before);
    savedAt = await save(`flux:\n  enabled: true\n  namespaces: [${ns}]\n`);
    await applied(true);
    const onMs = Date.now() - savedAt;
    // At once, not at the end of a 5-minute wait (generous for a loaded machine).
    expect(Math.max(offMs, onMs)).toBeLessThan(20_000);
    console.log(`configuration saved → applied by every agent: ${offMs} ms (off), ${onMs} ms (on)`);
    expect(await answered(await push())).toMatchObject({ state: "reconciled", objects: 2 });
  });

  it("a push while no agent is connected is recorded, and reconciled when the agent connects", async () => {
    for (const a of agents.splice(0)) await a.kill();
    const client = tunnelClientFor(web, kas);
    await until("kas to see the agent gone", async () => !(await client.agentStatus(agentId)).connected);
    const pushId = await push();
    expect(await outcome(pushId)).toMatchObject({ state: "not_connected" });
    const before = await requestedAt("deploy-https");

    const agent = await startAgent();
    await agent.waitFor(/^became leader$/, 90_000);
    expect(await answered(pushId)).toMatchObject({ state: "reconciled", objects: 2 });
    expect(await requestedAt("deploy-https")).not.toBe(before);
    client.close();
  });

  it("several kas replicas: a push handed to one replica reaches the agent connected to another", async () => {
    for (const a of agents.splice(0)) await a.kill();
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    extra.push(redis);
    const peerSecretFile = path.join(web.dir, "kas-peer-secret");
    fs.writeFileSync(peerSecretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
    const replica = async (id: string) => {
      const k = await startKasProcess(web, {
        TETHER_KAS_ID: `flux-kas-${id}`,
        TETHER_REDIS_URL: redis.url,
        TETHER_KAS_PEER_SECRET_FILE: peerSecretFile,
      });
      extra.push({ stop: () => k.kill("SIGKILL") });
      return k;
    };
    const a = await replica("a");
    const b = await replica("b");
    const agent = await startAgent(a);
    await agent.waitFor(/^became leader$/, 90_000);
    await a.waitFor(/^agent opened its push stream$/, 90_000);
    const pushId = await push({ via: b });
    expect(await answered(pushId)).toMatchObject({ state: "reconciled", objects: 2 });
    expect(b.output()).not.toMatch(/agent opened its push stream/);
  });
});
