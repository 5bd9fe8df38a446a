// The whole GitOps chain without Tether: a real git server on loopback, Flux's source- and
// kustomize-controller as host processes, and the testbed cluster. A pushed ConfigMap manifest reaches
// the cluster; with the GitRepository's interval at 10 minutes, a change reaches it within seconds only
// because a reconcile is requested (the annotation a webhook-driven agent sets). A private repository
// is read with the credentials of a Secret and refused without them.
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "../cluster";
import { type Flux, startFlux } from "./controllers";
import { type GitServer, commitAndPush, startGitServer } from "./git-server";
import { applyGitOpsSource, requestReconcile } from "./objects";
import { FLUX_NAMESPACE } from "./versions";

const SOURCE = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${FLUX_NAMESPACE}/gitrepositories`;
const KUSTOMIZE = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${FLUX_NAMESPACE}/kustomizations`;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface FluxObject {
  metadata: { generation?: number; annotations?: Record<string, string> };
  status?: {
    conditions?: Condition[];
    artifact?: { revision?: string };
    lastAppliedRevision?: string;
    lastHandledReconcileAt?: string;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function configMap(namespace: string, name: string, color: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
data:
  color: ${color}
`;
}

describe("Flux on the testbed with the testbed git server", { timeout: 180_000 }, () => {
  const tb = inject("testbed");
  const run = Date.now().toString(36);
  const ns = `gitops-${run}`;
  const created: string[] = [];
  let git: GitServer;
  let flux: Flux;
  let tmp: string;

  const ok = async (method: string, url: string, body?: unknown) => {
    const res = await apiserverRequest(tb, method, url, body);
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as unknown;
  };
  /** Polls until `check` returns a value; fails with the last state it saw. */
  const until = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await check();
        if (v !== undefined) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs / 1000}s (last: ${String(last)})`);
      await sleep(200);
    }
  };
  const readyCondition = async (url: string) =>
    ((await ok("GET", url)) as FluxObject).status?.conditions?.find((c) => c.type === "Ready");
  const configMapColor = async (name: string) => {
    const res = await apiserverRequest(tb, "GET", `/api/v1/namespaces/${ns}/configmaps/${name}`);
    return res.status === 200 ? (JSON.parse(res.body) as { data?: { color?: string } }).data?.color : undefined;
  };
  const createSource = async (name: string, url: string, secretName?: string) => {
    await applyGitOpsSource(tb, { name, url, secretName });
    created.unshift(`${KUSTOMIZE}/${name}`);
    created.push(`${SOURCE}/${name}`);
  };

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-flux-it-"));
    git = await startGitServer({
      dataDir: path.join(tmp, "repos"),
      credentials: { username: "flux-reader", password: `pw-${run}` },
    });
    // The first run builds the controllers (minutes, once per version; cached in ~/.cache/tether-testbed).
    flux = await startFlux(tb, { dir: path.join(tmp, "flux"), log: (m) => console.log(m) });
    await ok("POST", "/api/v1/namespaces", { metadata: { name: ns } });
  }, 60 * 60_000);

  afterAll(async () => {
    // Flux's finalizers need the controllers: delete our objects and wait for them before stopping.
    for (const url of created) await apiserverRequest(tb, "DELETE", url).catch(() => undefined);
    const deadline = Date.now() + 30_000;
    for (const url of created) {
      while (Date.now() < deadline && (await apiserverRequest(tb, "GET", url)).status !== 404) await sleep(200);
    }
    await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    await flux?.stop();
    await git?.close();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it("applies a pushed ConfigMap, and a pushed change within seconds of a requested reconcile", async () => {
    await git.createRepository("apps/public");
    const first = await commitAndPush(
      git,
      "apps/public",
      { "deploy/cm.yaml": configMap(ns, "settings", "blue") },
      "blue",
    );
    await createSource(`public-${run}`, git.repoUrl("apps/public"));

    let t0 = Date.now();
    await until("ConfigMap settings applied", async () =>
      (await configMapColor("settings")) === "blue" ? true : undefined,
    );
    console.log(`flux: first apply of the ConfigMap took ${Date.now() - t0} ms`);
    // Flux writes status in several patches: wait for the end state rather than read it once.
    await until("Kustomization Ready at the first revision", async () => {
      const k = (await ok("GET", `${KUSTOMIZE}/public-${run}`)) as FluxObject;
      const ready = k.status?.conditions?.find((c) => c.type === "Ready");
      return ready?.status === "True" && k.status?.lastAppliedRevision === `main@sha1:${first}` ? true : undefined;
    });

    // A new commit; nothing happens on its own for 10 minutes, so ask for a reconcile as the agent will.
    const second = await commitAndPush(
      git,
      "apps/public",
      { "deploy/cm.yaml": configMap(ns, "settings", "green") },
      "green",
    );
    t0 = Date.now();
    const requestedAt = await requestReconcile(tb, `public-${run}`);
    await until("ConfigMap settings changed", async () =>
      (await configMapColor("settings")) === "green" ? true : undefined,
    );
    const ms = Date.now() - t0;
    console.log(`flux: requested reconcile → change applied in ${ms} ms`);
    // Well below the 10-minute interval even on a loaded machine; the printed time is the measurement.
    expect(ms).toBeLessThan(60_000);
    // The GitRepository says it handled this very request (what "reconcile requested" views wait for).
    await until("GitRepository handled the request at the new revision", async () => {
      const src = (await ok("GET", `${SOURCE}/public-${run}`)) as FluxObject;
      return src.status?.lastHandledReconcileAt === requestedAt &&
        src.status.artifact?.revision === `main@sha1:${second}`
        ? true
        : undefined;
    });
    await until("Kustomization at the new revision", async () => {
      const k = (await ok("GET", `${KUSTOMIZE}/public-${run}`)) as FluxObject;
      return k.status?.lastAppliedRevision === `main@sha1:${second}` ? true : undefined;
    });

    // Removing the manifest prunes the ConfigMap (prune: true).
    await commitAndPush(
      git,
      "apps/public",
      { "deploy/cm.yaml": null, "deploy/other.yaml": configMap(ns, "other", "red") },
      "swap",
    );
    await requestReconcile(tb, `public-${run}`);
    await until("ConfigMap other applied and settings pruned", async () =>
      (await configMapColor("other")) === "red" && (await configMapColor("settings")) === undefined ? true : undefined,
    );
  });

  it("reads a private repository with a Secret's credentials and reports the refusal without them", async () => {
    await git.createRepository("apps/private", { private: true });
    await commitAndPush(git, "apps/private", { "deploy/cm.yaml": configMap(ns, "private-settings", "violet") }, "p");
    const creds = git.credentials;
    if (!creds) throw new Error("the git server was started with credentials");
    await ok("POST", `/api/v1/namespaces/${FLUX_NAMESPACE}/secrets`, {
      metadata: { name: `git-${run}` },
      stringData: { username: creds.username, password: creds.password },
    });
    created.push(`/api/v1/namespaces/${FLUX_NAMESPACE}/secrets/git-${run}`);

    await createSource(`nocreds-${run}`, git.repoUrl("apps/private"));
    await createSource(`private-${run}`, git.repoUrl("apps/private"), `git-${run}`);

    await until("private ConfigMap applied", async () =>
      (await configMapColor("private-settings")) === "violet" ? true : undefined,
    );
    const refused = await until("GitRepository without credentials not Ready", async () => {
      const c = await readyCondition(`${SOURCE}/nocreds-${run}`);
      return c?.status === "False" && /authentication required|401/i.test(c.message ?? "") ? c : undefined;
    });
    expect(refused.reason).toBe("GitOperationFailed");
    expect(refused.message).toMatch(/authentication required|401/i);
  });
});
