// `npm run demo`'s GitOps corner on the testbed: Flux applies the seeded demo/gitops repository (its
// Deployment's pods run on the kwok node), a user's push arrives on a requested reconcile, and a restart
// on the same data folder keeps the user's commits instead of seeding again.
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "../cluster";
import { DEMO_GITOPS_NAME, DEMO_GITOPS_REPO, type DemoGitOps, startDemoGitOps } from "./demo-gitops";
import { commitAndPush, git } from "./git-server";
import { GIT_REPOSITORIES, KUSTOMIZATIONS, requestReconcile } from "./objects";
import { FLUX_NAMESPACE } from "./versions";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the demo's GitOps repository", { timeout: 180_000 }, () => {
  const tb = inject("testbed");
  let tmp: string;
  let demo: DemoGitOps | undefined;

  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs / 1000}s`);
      await sleep(250);
    }
  };
  const get = async (url: string) => {
    const res = await apiserverRequest(tb, "GET", url);
    return res.status === 200 ? (JSON.parse(res.body) as Record<string, unknown>) : undefined;
  };
  const greeting = async () =>
    ((await get("/api/v1/namespaces/demo-gitops/configmaps/greeting")) as { data?: { message?: string } } | undefined)
      ?.data?.message;

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-demo-gitops-"));
  });
  afterAll(async () => {
    for (const url of [
      `${KUSTOMIZATIONS}/namespaces/${FLUX_NAMESPACE}/kustomizations/${DEMO_GITOPS_NAME}`,
      `${GIT_REPOSITORIES}/namespaces/${FLUX_NAMESPACE}/gitrepositories/${DEMO_GITOPS_NAME}`,
    ]) {
      await apiserverRequest(tb, "DELETE", url).catch(() => undefined);
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await apiserverRequest(tb, "GET", url)).status !== 404) await sleep(200);
    }
    await demo?.stop();
    await apiserverRequest(tb, "DELETE", "/api/v1/namespaces/demo-gitops").catch(() => undefined);
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it("is applied by Flux, takes a push, and keeps it across a restart", async () => {
    const dataDir = path.join(tmp, "git");
    demo = await startDemoGitOps(tb, { dataDir });
    await until("the seeded ConfigMap", async () => (await greeting()) === "hello from git");
    await until("the Deployment's two pods Running on the kwok node", async () => {
      const pods = (await get("/api/v1/namespaces/demo-gitops/pods?labelSelector=app%3Dhello")) as
        { items: { status?: { phase?: string } }[] } | undefined;
      return pods?.items.filter((p) => p.status?.phase === "Running").length === 2;
    });

    const heads = (await git(["ls-remote", demo.git.repoUrl(DEMO_GITOPS_REPO)])).trim();
    expect(heads).toMatch(/refs\/heads\/main/);
    await commitAndPush(
      demo.git,
      DEMO_GITOPS_REPO,
      {
        "deploy/configmap.yaml":
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\n  namespace: demo-gitops\ndata:\n  message: edited\n",
      },
      "edit",
    );
    await requestReconcile(tb, DEMO_GITOPS_NAME);
    await until("the pushed change", async () => (await greeting()) === "edited");

    // A second demo run on the same data folder: the repository keeps the user's commit.
    await demo.stop();
    demo = undefined;
    demo = await startDemoGitOps(tb, { dataDir });
    const log = await git(["--git-dir", path.join(dataDir, `${DEMO_GITOPS_REPO}.git`), "log", "--format=%s", "main"]);
    expect(log.trim().split("\n")).toEqual(["edit", "Demo workload applied by Flux"]);
    await requestReconcile(tb, DEMO_GITOPS_NAME);
    const ks = (await get(`${KUSTOMIZATIONS}/namespaces/${FLUX_NAMESPACE}/kustomizations/${DEMO_GITOPS_NAME}`)) as {
      spec: { interval: string; path: string };
    };
    expect(ks.spec).toMatchObject({ interval: "1m", path: "./deploy" });
    expect(await greeting()).toBe("edited");
  });
});
