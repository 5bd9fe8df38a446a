// GitOps with the real thing, in the browser: Flux's own source-, kustomize- and helm-controller run against
// this spec's testbed, the testbed's git server (git http-backend) holds the repository, the repository webhook is
// made on the project's Settings tab, and a push is delivered as GitLab delivers it. The GitRepository and
// the Kustomization poll every 10 minutes, so the GitOps tab showing the pushed revision Ready within the
// wait is the webhook's doing. Suspend and Resume act on the real controller: while the Kustomization is
// suspended, its source takes a new push and the Kustomization stays where it was; Resume applies it. A
// HelmRelease pushed beside a chart in the same repository is installed by helm-controller and shows Ready.
import path from "node:path";
import { expect, request as playwrightRequest, test, type Page } from "./test";
import {
  commitAndPush,
  startFlux,
  startGitServer,
  applyGitOpsSource,
  type Flux,
  type GitServer,
} from "../testbed/flux";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("gitops-flux");
const kubectl = (...args: string[]) => cluster.kubectl(...args);
const REPO = "apps/site";

let git: GitServer | undefined;
let flux: Flux | undefined;
let setup: Promise<{
  page: Page;
  ns: string;
  gitopsUrl: string;
  projectUrl: string;
  settingsUrl: string;
}> | null = null;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  // The first run on a machine without the controllers in ~/.cache/tether-testbed builds them (minutes).
  test.setTimeout(30 * 60_000);
  setup = (async () => {
    const stamp = Date.now().toString(36);
    const alice = await newSignedInPage(browser, "fluxer");
    const group = `flux-${stamp}`;
    const res = await alice.page.request.post("/api/groups", { data: { name: "Flux", path: group } });
    expect(res.status(), await res.text()).toBe(201);
    const { token, clusterUrl } = await createProjectAgent(alice.page, alice.user, "site", group);
    git = await startGitServer({ dataDir: path.join(cluster.workDir, "repos") });
    flux = await startFlux(cluster.testbed, {
      dir: path.join(cluster.workDir, "flux"),
      helm: true,
      log: (m) => console.log(m),
    });
    cluster.startAgent(token, "flux");
    const ns = `site-${stamp}`;
    await kubectl("create", "namespace", ns);
    // Alice works with everything in this cluster (the tab acts as her, impersonated).
    await kubectl(
      "create",
      "clusterrolebinding",
      `fluxer-${stamp}`,
      "--clusterrole=cluster-admin",
      `--user=tether:user:${alice.user.username}`,
    );
    return {
      page: alice.page,
      ns,
      gitopsUrl: clusterUrl.replace(/\/cluster$/, "/gitops"),
      projectUrl: `/projects/${group}/site`,
      settingsUrl: `/projects/${group}/site/-/settings`,
    };
  })();
  await setup;
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  await flux?.stop();
  await git?.close();
});

const ready = async () => {
  if (!setup) throw new Error("beforeAll did not run");
  return setup;
};

const configMap = (namespace: string, color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${namespace}\ndata:\n  color: ${color}\n`;
const row = (page: Page, kind: string, name: string) => page.locator(`li[data-kind="${kind}"][data-name="${name}"]`);
const short = (sha: string) => `main@${sha.slice(0, 7)}`;
const color = async (ns: string) =>
  (
    await kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color}").catch(() => ({
      stdout: "",
    }))
  ).stdout;

let hook: { url: string; secret: string } | undefined;

/** The push as GitLab delivers it (no session; the webhook's secret in X-Gitlab-Token). */
async function deliver(after: string): Promise<void> {
  if (!hook || !git) throw new Error("the webhook and the git server come first");
  const forge = await playwrightRequest.newContext();
  const url = git.repoUrl(REPO);
  const res = await forge.post(hook.url, {
    data: JSON.stringify({
      object_kind: "push",
      ref: "refs/heads/main",
      after,
      project: { git_http_url: url, git_ssh_url: url },
      repository: { name: "site", git_http_url: url, git_ssh_url: url },
    }),
    headers: {
      "content-type": "application/json",
      "x-gitlab-event": "Push Hook",
      "x-gitlab-token": hook.secret,
      "x-gitlab-event-uuid": `delivery-${after}`,
    },
  });
  expect(res.status(), await res.text()).toBe(202);
  await forge.dispose();
}

test("a push delivered to the project's webhook reaches the cluster through the agent, and the GitOps tab shows its revision Ready", async () => {
  test.setTimeout(240_000);
  const { page, ns, gitopsUrl, projectUrl, settingsUrl } = await ready();

  // The webhook, made where a maintainer makes it: its URL, and the secret shown this once.
  await page.goto(settingsUrl);
  const panel = page.getByRole("region", { name: "Repository webhook" });
  await panel.getByRole("button", { name: "Create webhook" }).click();
  const secretBox = panel.getByRole("status").filter({ hasText: "shown this once" });
  const secret = (await secretBox.locator("code").textContent())!;
  const url = (await panel.locator("code", { hasText: "/api/webhooks/git/" }).textContent())!;
  hook = { url, secret };

  // The repository, its first commit, and Flux following it every 10 minutes.
  await git!.createRepository(REPO);
  const first = await commitAndPush(git!, REPO, { "deploy/settings.yaml": configMap(ns, "blue") }, "blue");
  await applyGitOpsSource(cluster.testbed, { name: "site", namespace: ns, url: git!.repoUrl(REPO), interval: "10m" });

  await page.goto(gitopsUrl);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  const site = row(page, "Kustomization", "site");
  await expect(site).toHaveAttribute("data-state", "Ready", { timeout: 120_000 });
  await expect(site.getByTestId("flux-revision")).toHaveText(short(first));
  expect(await color(ns)).toBe("blue");

  // A push: only the webhook can make it arrive before the 10-minute interval.
  const second = await commitAndPush(git!, REPO, { "deploy/settings.yaml": configMap(ns, "green") }, "green");
  const pushed = Date.now();
  await deliver(second);
  await expect(site.getByTestId("flux-revision")).toHaveText(short(second), { timeout: 120_000 });
  await expect(site).toHaveAttribute("data-state", "Ready");
  console.log(`push → the GitOps tab showed the new revision Ready in ${Date.now() - pushed} ms`);
  await expect(row(page, "GitRepository", "site").getByTestId("flux-revision")).toHaveText(short(second));
  expect(await color(ns)).toBe("green");

  // The project page lists the push with what the agent did.
  await page.goto(projectUrl);
  const pushes = page.getByRole("list", { name: "Recent pushes" });
  const item = pushes.getByRole("listitem").filter({ hasText: second.slice(0, 8) });
  await expect(item).toContainText("site: reconciled 1 GitRepository object", { timeout: 30_000 });
});

test("while the Kustomization is suspended its source takes the next push and nothing is applied; Resume applies it", async () => {
  test.setTimeout(240_000);
  const { page, ns, gitopsUrl } = await ready();
  await page.goto(gitopsUrl);
  const site = row(page, "Kustomization", "site");
  const source = row(page, "GitRepository", "site");
  const actions = site.getByTestId("flux-actions");
  await expect(actions.getByRole("button", { name: "Suspend" })).toBeVisible({ timeout: 60_000 });
  const applied = (await site.getByTestId("flux-revision").textContent())!;

  await actions.getByRole("button", { name: "Suspend" }).click();
  const confirm = page.getByRole("dialog", { name: `Suspend Kustomization ${ns}/site?` });
  await confirm.getByRole("button", { name: "Suspend" }).click();
  await expect(site).toHaveAttribute("data-suspended", "true", { timeout: 15_000 });

  // The source follows the push; the suspended Kustomization stays at what it applied.
  const third = await commitAndPush(git!, REPO, { "deploy/settings.yaml": configMap(ns, "red") }, "red");
  await deliver(third);
  await expect(source.getByTestId("flux-revision")).toHaveText(short(third), { timeout: 120_000 });
  await expect(site.getByTestId("flux-revision")).toHaveText(applied);
  expect(await color(ns)).toBe("green");

  // Resume: kustomize-controller takes the source's newest artifact.
  await actions.getByRole("button", { name: "Resume" }).click();
  await expect(actions.getByRole("status")).toHaveText(`Resumed kustomization ${ns}/site.`);
  await expect(site).toHaveAttribute("data-suspended", "false", { timeout: 15_000 });
  await expect(site.getByTestId("flux-revision")).toHaveText(short(third), { timeout: 120_000 });
  await expect(site).toHaveAttribute("data-state", "Ready");
  expect(await color(ns)).toBe("red");
});

test("a HelmRelease pushed beside its chart is applied by the Kustomization, installed by helm-controller, and shows Ready", async () => {
  test.setTimeout(240_000);
  const { page, ns, gitopsUrl } = await ready();
  const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: hello
  namespace: ${ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/hello
      sourceRef:
        kind: GitRepository
        name: site
  values:
    greeting: hi from helm
`;
  const pushed = await commitAndPush(
    git!,
    REPO,
    {
      "charts/hello/Chart.yaml": "apiVersion: v2\nname: hello\nversion: 0.1.0\n",
      "charts/hello/templates/greeting.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-greeting\ndata:\n  greeting: {{ .Values.greeting | quote }}\n",
      "deploy/hello.yaml": release,
    },
    "hello chart",
  );
  await deliver(pushed);
  await page.goto(gitopsUrl);
  const hello = row(page, "HelmRelease", "hello");
  await expect(hello).toHaveAttribute("data-state", "Ready", { timeout: 180_000 });
  await expect(row(page, "Kustomization", "site").getByTestId("flux-revision")).toHaveText(short(pushed));
  expect(
    (await kubectl("get", "configmap", "hello-greeting", "-n", ns, "-o", "jsonpath={.data.greeting}")).stdout,
  ).toBe("hi from helm");
});
