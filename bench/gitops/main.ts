// bench/gitops: how long a git push takes to reach the cluster. Two repositories on the testbed's git
// server, each followed by a Flux GitRepository + Kustomization (real source- and kustomize-controller):
// - "webhook": interval 10 minutes; each push is announced by a GitLab-signed webhook to Tether, which
//   tells the agent (through kas) to ask Flux to reconcile;
// - "polling": interval 30 seconds and no webhook: the push waits for Flux's own poll (the baseline).
// Both run in the same run, side by side, BENCH_PUSHES pushes each (default 20). For each push: the time
// from `git push` returning to the pushed ConfigMap value being in the cluster. Prints p50/p99 of each, the
// ratio, and kas's and the agent's CPU per webhook push (from /proc).
// Usage: npm run bench:gitops   (BENCH_PUSHES=5 for a short run)
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { saveAgentConfig } from "../../lib/agent-config";
import { createOrRotateRepositoryWebhook, kasPushNotifier, receiveDelivery } from "../../lib/gitops";
import { ensureTestbedBinaries } from "../../testbed/build";
import { apiserverRequest, startTestbed, type Testbed } from "../../testbed/cluster";
import { applyGitOpsSource, commitAndPush, startFlux, startGitServer } from "../../testbed/flux";
import {
  registerTestAgent,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  type KasProcess,
  type Proc,
} from "../../testbed/tunnel-stack";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import { cpuMs, percentile, runBench } from "../common";

process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");

const PUSHES = Number(process.env.BENCH_PUSHES ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const configMap = (namespace: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pushed\n  namespace: ${namespace}\ndata:\n  value: "${value}"\n`;

async function valueIn(tb: Testbed, namespace: string): Promise<string | undefined> {
  const r = await apiserverRequest(tb, "GET", `/api/v1/namespaces/${namespace}/configmaps/pushed`);
  return r.status === 200 ? (JSON.parse(r.body) as { data?: { value?: string } }).data?.value : undefined;
}

/** Milliseconds until the ConfigMap in `namespace` holds `value` (polled every 50 ms, at most `limitMs`). */
async function arrival(tb: Testbed, namespace: string, value: string, since: number, limitMs: number): Promise<number> {
  for (;;) {
    if ((await valueIn(tb, namespace).catch(() => undefined)) === value) return Date.now() - since;
    if (Date.now() - since > limitMs)
      throw new Error(`${namespace}: "${value}" not applied within ${limitMs / 1000} s`);
    await sleep(50);
  }
}

function line(label: string, xs: number[]): string {
  return `${label.padEnd(38)} ${String(percentile(xs, 50)).padStart(7)} ${String(percentile(xs, 99)).padStart(7)} ms`;
}

async function main(): Promise<void> {
  const version = process.env.TETHER_TESTBED_KUBERNETES ?? TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version);
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-bench-gitops-"));
  const tb = await startTestbed({ dir: path.join(dir, "testbed"), version });
  const stops: (() => Promise<unknown>)[] = [() => tb.stop()];
  try {
    const git = await startGitServer({ dataDir: path.join(dir, "repos") });
    stops.unshift(() => git.close());
    console.log("starting Flux (the first run on a machine builds its controllers)…");
    const flux = await startFlux(tb, { dir: path.join(dir, "flux"), log: (m) => console.log(m) });
    stops.unshift(() => flux.stop());

    const hooked = "bench-webhook";
    const polled = "bench-polling";
    for (const ns of [hooked, polled]) {
      const r = await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
      if (r.status !== 201) throw new Error(`namespace ${ns}: ${r.status} ${r.body}`);
      await git.createRepository(`bench/${ns}`);
    }

    const web = await startWebInternal();
    stops.unshift(() => web.close());
    const reg = await registerTestAgent(web.db, "bench-gitops");
    const actor = { id: reg.userId, isAdmin: false };
    const { projectId } = await web.db.agent.findUniqueOrThrow({ where: { id: reg.agentId } });
    await saveAgentConfig(web.db, actor, reg.agentId, `flux:\n  namespaces: [${hooked}]\n`);
    const hook = await createOrRotateRepositoryWebhook(web.db, actor, projectId);
    const webhookId = hook.url.split("/").pop()!;
    const kas: KasProcess = await startKasProcess(web);
    stops.unshift(() => kas.kill("SIGKILL"));
    const agent: Proc = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      args: [`--flux-lease-namespace=${hooked}`],
    });
    stops.unshift(() => agent.kill("SIGKILL"));
    await agent.waitFor(/^became leader$/, 120_000);
    const notify = kasPushNotifier(`127.0.0.1:${kas.internalPort}`, web.secretFile);

    // The first revision of each, applied before any timing.
    for (const [ns, interval] of [
      [hooked, "10m"],
      [polled, "30s"],
    ] as const) {
      await commitAndPush(git, `bench/${ns}`, { "deploy/cm.yaml": configMap(ns, "start") }, "start");
      await applyGitOpsSource(tb, { name: ns, namespace: ns, url: git.repoUrl(`bench/${ns}`), interval });
      await arrival(tb, ns, "start", Date.now(), 120_000);
    }

    const url = git.repoUrl(`bench/${hooked}`);
    const viaWebhook: number[] = [];
    const viaPolling: number[] = [];
    const cpuBefore = cpuMs({ kas: kas.child.pid ?? 0, agent: agent.child.pid ?? 0 });
    console.log(`${PUSHES} pushes each; the polling side waits for Flux's 30 s interval, so this takes minutes…`);
    const polling = (async () => {
      for (let i = 1; i <= PUSHES; i++) {
        const value = `p${i}`;
        await commitAndPush(git, `bench/${polled}`, { "deploy/cm.yaml": configMap(polled, value) }, value);
        viaPolling.push(await arrival(tb, polled, value, Date.now(), 120_000));
      }
    })();
    for (let i = 1; i <= PUSHES; i++) {
      const value = `w${i}`;
      const after = await commitAndPush(git, `bench/${hooked}`, { "deploy/cm.yaml": configMap(hooked, value) }, value);
      const pushed = Date.now();
      const body = Buffer.from(
        JSON.stringify({
          object_kind: "push",
          ref: "refs/heads/main",
          after,
          project: { git_http_url: url, git_ssh_url: url },
          repository: { name: hooked, git_http_url: url, git_ssh_url: url },
        }),
      );
      const headers = new Headers({
        "content-type": "application/json",
        "x-gitlab-event": "Push Hook",
        "x-gitlab-token": hook.secret,
        "x-gitlab-event-uuid": `bench-${after}`,
      });
      const answer = await receiveDelivery(web.db, webhookId, headers, body, notify);
      if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      viaWebhook.push(await arrival(tb, hooked, value, pushed, 60_000));
      await sleep(500);
    }
    const cpuAfter = cpuMs({ kas: kas.child.pid ?? 0, agent: agent.child.pid ?? 0 });
    await polling;

    const perPush = (name: "kas" | "agent") => ((cpuAfter[name]! - cpuBefore[name]!) / PUSHES).toFixed(1);
    console.log(`\nbench/gitops — Kubernetes ${version}, ${PUSHES} pushes each, ${os.cpus().length} CPUs`);
    console.log(`${"push → ConfigMap in the cluster".padEnd(38)} ${"p50".padStart(7)} ${"p99".padStart(7)}`);
    console.log(line("webhook → Tether → agent → Flux", viaWebhook));
    console.log(line("Flux's own polling (interval 30 s)", viaPolling));
    console.log(
      `p50 ratio polling / webhook: ${(percentile(viaPolling, 50) / percentile(viaWebhook, 50)).toFixed(1)}×; ` +
        `target: webhook p50 ≤ 3000 ms (${percentile(viaWebhook, 50) <= 3000 ? "met" : "missed"})`,
    );
    console.log(
      `CPU ms per webhook push (while the polling side also ran): kas ${perPush("kas")}, agent ${perPush("agent")}`,
    );
    console.log(`load average ${os.loadavg()[0]!.toFixed(1)}`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

runBench("bench/gitops", main);
