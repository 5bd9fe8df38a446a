// The whole GitOps chain with every real part: a commit pushed with the git CLI to the testbed's git server,
// the push webhook signed as GitLab signs it and received by web's delivery handling (a real database), kas
// and agent processes, the agent annotating the GitRepository, and Flux's real source- and
// kustomize-controller applying the pushed ConfigMap. The GitRepository and Kustomization poll every 10
// minutes, so a change that reaches the cluster within the test's wait got there through the webhook.
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { createOrRotateRepositoryWebhook, kasPushNotifier, receiveDelivery } from "@/lib/gitops";
import { apiserverRequest } from "@/testbed/cluster";
import {
  applyFluxCrds,
  applyGitOpsSource,
  commitAndPush,
  startFlux,
  startGitServer,
  type Flux,
  type GitServer,
} from "@/testbed/flux";
import {
  registerTestAgent,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";

process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

const configMap = (namespace: string, color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${namespace}\ndata:\n  color: ${color}\n`;

describe("GitOps: git push → webhook → Tether → agent → Flux applies it", { timeout: 300_000 }, () => {
  const tb = inject("testbed");
  const run = Date.now().toString(36);
  const ns = `chain-${run}`;
  const name = `chain-${run}`;
  const api = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);
  const kustomization = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations/${name}`;
  let tmp = "";
  let git: GitServer;
  let flux: Flux;
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc | undefined;
  let agentId = "";
  let webhookId = "";
  let secret = "";

  const color = async () => {
    const r = await api("GET", `/api/v1/namespaces/${ns}/configmaps/settings`);
    return r.status === 200 ? (JSON.parse(r.body) as { data?: { color?: string } }).data?.color : undefined;
  };
  const appliedRevision = async () => {
    const r = await api("GET", kustomization);
    const k = JSON.parse(r.body) as {
      status?: { lastAppliedRevision?: string; conditions?: { type: string; status: string }[] };
    };
    const ready = k.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    return ready ? (k.status?.lastAppliedRevision ?? null) : null;
  };

  /** The push as GitLab delivers it, signed with the project's webhook token. */
  async function deliver(after: string): Promise<string> {
    const url = git.repoUrl("apps/chain");
    const body = Buffer.from(
      JSON.stringify({
        object_kind: "push",
        ref: "refs/heads/main",
        after,
        project: { git_http_url: url, git_ssh_url: url },
        repository: { name: "chain", git_http_url: url, git_ssh_url: url },
      }),
    );
    const headers = new Headers({
      "content-type": "application/json",
      "x-gitlab-event": "Push Hook",
      "x-gitlab-token": secret,
      "x-gitlab-event-uuid": `delivery-${run}-${after}`,
    });
    const notify = kasPushNotifier(`127.0.0.1:${kas.internalPort}`, web.secretFile);
    const answer = await receiveDelivery(web.db, webhookId, headers, body, notify);
    expect(answer.status).toBe(202);
    return answer.body.pushId as string;
  }

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-gitops-chain-"));
    expect((await api("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    await applyFluxCrds(tb);
    git = await startGitServer({ dataDir: path.join(tmp, "repos") });
    // The first run on a machine builds the controllers (cached in ~/.cache/tether-testbed afterwards).
    flux = await startFlux(tb, { dir: path.join(tmp, "flux"), log: (m) => console.log(m) });

    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "gitops-chain");
    agentId = reg.agentId;
    const actor = { id: reg.userId, isAdmin: false };
    const { projectId } = await web.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    await saveAgentConfig(web.db, actor, agentId, `flux:\n  namespaces: [${ns}]\n`);
    const hook = await createOrRotateRepositoryWebhook(web.db, actor, projectId);
    webhookId = hook.url.split("/").pop()!;
    secret = hook.secret;
    kas = await startKasProcess(web);
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      args: ["--config-poll-interval-ms=500", `--flux-lease-namespace=${ns}`],
    });
    await agent.waitFor(/^became leader$/, 90_000);
  }, 60 * 60_000);

  afterAll(async () => {
    // Flux's finalizers need the controllers: delete the objects while they run.
    for (const url of [kustomization, `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories/${name}`])
      await api("DELETE", url).catch(() => undefined);
    await until("Flux's objects to go", async () => (await api("GET", kustomization)).status === 404, 30_000).catch(
      () => undefined,
    );
    await agent?.kill("SIGKILL");
    await kas?.kill("SIGKILL");
    await flux?.stop();
    await git?.close();
    await api("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await web?.close();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  }, 90_000);

  it("a pushed change reaches the cluster through the webhook, with Flux polling only every 10 minutes", async () => {
    await git.createRepository("apps/chain");
    const first = await commitAndPush(git, "apps/chain", { "deploy/cm.yaml": configMap(ns, "blue") }, "blue");
    await applyGitOpsSource(tb, { name, namespace: ns, url: git.repoUrl("apps/chain"), interval: "10m" });
    await until("the first revision applied", async () => (await appliedRevision()) === `main@sha1:${first}`);
    expect(await color()).toBe("blue");

    const second = await commitAndPush(git, "apps/chain", { "deploy/cm.yaml": configMap(ns, "green") }, "green");
    const pushed = Date.now();
    const pushId = await deliver(second);
    // Without the webhook nothing would change for 10 minutes; the wait here is a small part of that.
    await until("the pushed ConfigMap in the cluster", async () => (await color()) === "green", 120_000);
    console.log(`gitops chain: push → ConfigMap applied in ${Date.now() - pushed} ms`);
    await until("the Kustomization Ready at the pushed revision", async () =>
      (await appliedRevision()) === `main@sha1:${second}` ? true : null,
    );
    const outcome = await until("the agent's answer", async () => {
      const o = await web.db.gitPushOutcome.findUnique({ where: { pushId_agentId: { pushId, agentId } } });
      return o && o.state === "reconciled" ? o : null;
    });
    expect(outcome).toMatchObject({ state: "reconciled", objects: 1 });
  });
});
