// The agent's GitOps tab against the testbed: first without Flux (the tab says Flux is not installed and
// links its install docs), then with Flux's CRDs from the controllers' module downloads and objects whose
// status this spec writes as a controller would. A Kustomization turns Ready live; its revision links to
// the commit on the forge; its Warning events show. Reconcile now, Suspend and Resume are sent as the
// viewer and flip the object in the cluster; a viewer whose RBAC forbids patching is offered nothing and
// reads the cluster's refusal. The project page counts each agent's Flux objects and those not Ready.
import { expect, test, type Page } from "./test";
import { specCluster } from "./cluster";
import { applyFluxCrds, applyObject, condition, writeStatus } from "./flux-fixtures";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("gitops");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

const SHA = "4f0c1e2d3b4a59687766554433221100ffeeddcc";
const KS = "kustomizations.kustomize.toolkit.fluxcd.io";
const GIT = "gitrepositories.source.toolkit.fluxcd.io";

/** Waits until the cluster's RBAC answers `kubectl auth can-i` as `expected` for the user. */
async function untilCan(user: string, expected: "yes" | "no", ...what: string[]) {
  await expect
    .poll(
      async () =>
        (
          await kubectl("auth", "can-i", ...what, `--as=tether:user:${user}`).catch((e: { stdout?: string }) => e)
        ).stdout?.trim(),
      { timeout: 15_000 },
    )
    .toBe(expected);
}

let setup: Promise<{
  alice: { page: Page; user: { username: string } };
  bob: { page: Page; user: { username: string } };
  agentId: string;
  gitopsUrl: string;
  projectUrl: string;
  auditUrl: string;
  ns: string;
}> | null = null;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  setup = (async () => {
    const stamp = Date.now().toString(36);
    const alice = await newSignedInPage(browser, "gitops");
    const bob = await newSignedInPage(browser, "watcher");
    const group = `gitops-${stamp}`;
    for (const [url, data] of [
      ["/api/groups", { name: "GitOps", path: group }],
      [`/api/groups/${group}/members`, { username: bob.user.username, role: "developer" }],
    ] as const) {
      const res = await alice.page.request.post(url, { data });
      expect(res.status(), await res.text()).toBe(201);
    }
    const { token, clusterUrl, agentId } = await createProjectAgent(alice.page, alice.user, "infra", group);
    cluster.startAgent(token, "gitops");
    return {
      alice,
      bob,
      agentId,
      gitopsUrl: clusterUrl.replace(/\/cluster$/, "/gitops"),
      projectUrl: `/projects/${group}/infra`,
      auditUrl: `/projects/${group}/infra/-/audit`,
      ns: `apps-${stamp}`,
    };
  })();
  await setup;
});

const ready = async () => {
  if (!setup) throw new Error("beforeAll did not run");
  return setup;
};

const row = (page: Page, kind: string, name: string) => page.locator(`li[data-kind="${kind}"][data-name="${name}"]`);

test("without Flux's CRDs the tab says Flux is not installed and links its install docs", async () => {
  const { alice, gitopsUrl, projectUrl } = await ready();
  await alice.page.goto(gitopsUrl);
  await expect(alice.page.getByRole("heading", { name: "Flux is not installed in this cluster" })).toBeVisible({
    timeout: 60_000,
  });
  await expect(alice.page.getByRole("link", { name: "Install Flux" })).toHaveAttribute(
    "href",
    "https://fluxcd.io/flux/installation/",
  );
  // The tab is one of the agent's tabs, marked as the current one.
  await expect(
    alice.page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "GitOps" }),
  ).toHaveAttribute("aria-current", "page");
  await alice.page.goto(projectUrl);
  await expect(alice.page.locator('li[data-agent="infra"]')).toContainText("Flux is not installed", {
    timeout: 30_000,
  });
});

test("Flux objects are listed live: a Kustomization turns Ready, its revision links to the commit, its warnings show", async () => {
  test.setTimeout(180_000);
  const { alice, bob, gitopsUrl, projectUrl, ns } = await ready();
  await applyFluxCrds(cluster.testbed, { timeoutMs: 60_000 });
  await kubectl("create", "namespace", ns);
  // Both read Flux's objects and events in the namespace; Alice may also patch them (reconcile, suspend).
  const fluxResources = "gitrepositories.source.toolkit.fluxcd.io,kustomizations.kustomize.toolkit.fluxcd.io";
  await kubectl(
    "create",
    "role",
    "flux-reader",
    "-n",
    ns,
    "--verb=get,list,watch",
    `--resource=${fluxResources},events`,
  );
  await kubectl("create", "role", "flux-operator", "-n", ns, "--verb=patch", `--resource=${fluxResources}`);
  // Listing every namespace's Flux objects needs a cluster-wide read, as the tab shows them all.
  await kubectl("create", "clusterrole", `flux-view-${ns}`, "--verb=get,list,watch", `--resource=${fluxResources}`);
  for (const who of [alice.user.username, bob.user.username]) {
    await kubectl(
      "create",
      "rolebinding",
      `reader-${who}`,
      "-n",
      ns,
      "--role=flux-reader",
      `--user=tether:user:${who}`,
    );
    await kubectl(
      "create",
      "clusterrolebinding",
      `flux-view-${who}`,
      `--clusterrole=flux-view-${ns}`,
      `--user=tether:user:${who}`,
    );
  }
  await kubectl(
    "create",
    "rolebinding",
    "operator-alice",
    "-n",
    ns,
    "--role=flux-operator",
    `--user=tether:user:${alice.user.username}`,
  );

  await applyObject(kubectl, cluster.workDir, {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: "fleet", namespace: ns },
    spec: { url: "https://github.com/acme/fleet.git", interval: "10m", ref: { branch: "main" } },
  });
  await applyObject(kubectl, cluster.workDir, {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: ns },
    spec: { interval: "10m", path: "./apps", prune: true, sourceRef: { kind: "GitRepository", name: "fleet" } },
  });
  await writeStatus(kubectl, GIT, ns, "fleet", {
    observedGeneration: 1,
    conditions: [condition("Ready", "True", "Succeeded", `stored artifact for revision 'main@sha1:${SHA}'`)],
    artifact: {
      revision: `main@sha1:${SHA}`,
      path: "gitrepository/fleet.tar.gz",
      url: "http://source-controller/fleet.tar.gz",
      digest: `sha256:${"a".repeat(64)}`,
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    },
  });
  await writeStatus(kubectl, KS, ns, "apps", {
    observedGeneration: 1,
    conditions: [
      condition("Ready", "Unknown", "Progressing", "Reconciliation in progress"),
      condition("Reconciling", "True", "Progressing", "Building the manifests"),
    ],
  });

  const page = alice.page;
  await page.goto(gitopsUrl);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  const apps = row(page, "Kustomization", "apps");
  const fleet = row(page, "GitRepository", "fleet");
  await expect(fleet).toHaveAttribute("data-state", "Ready");
  await expect(apps).toHaveAttribute("data-state", "Reconciling");
  await expect(apps).toContainText("Building the manifests");
  await expect(page.getByTestId("flux-counts")).toHaveText("2 Flux objects, 1 not Ready");
  // The source's revision links to its commit on GitHub.
  await expect(fleet.getByRole("link", { name: "main@4f0c1e2" })).toHaveAttribute(
    "href",
    `https://github.com/acme/fleet/commit/${SHA}`,
  );

  // The controller finishes: the row turns Ready without a reload, with the applied revision linked.
  await writeStatus(kubectl, KS, ns, "apps", {
    observedGeneration: 1,
    lastAppliedRevision: `main@sha1:${SHA}`,
    lastAttemptedRevision: `main@sha1:${SHA}`,
    conditions: [condition("Ready", "True", "ReconciliationSucceeded", `Applied revision: main@sha1:${SHA}`)],
  });
  await expect(apps).toHaveAttribute("data-state", "Ready", { timeout: 10_000 });
  await expect(apps.getByRole("link", { name: "main@4f0c1e2" })).toHaveAttribute(
    "href",
    `https://github.com/acme/fleet/commit/${SHA}`,
  );
  await expect(page.getByTestId("flux-counts")).toHaveText("2 Flux objects, 0 not Ready");

  // A Warning event about the Kustomization appears under it, live.
  await applyObject(kubectl, cluster.workDir, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "apps.health", namespace: ns },
    type: "Warning",
    reason: "HealthCheckFailed",
    message: "Deployment/web is not ready: timeout waiting for rollout",
    involvedObject: {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      name: "apps",
      namespace: ns,
    },
    source: { component: "kustomize-controller" },
    count: 2,
    firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  });
  await expect(apps.getByRole("list", { name: "Warning events" })).toContainText(
    "HealthCheckFailed (×2): Deployment/web is not ready: timeout waiting for rollout",
    { timeout: 15_000 },
  );

  // A Stalled source says so, with the controller's message.
  await writeStatus(kubectl, GIT, ns, "fleet", {
    observedGeneration: 1,
    conditions: [
      condition("Ready", "False", "InvalidURL", "failed to parse the URL"),
      condition("Stalled", "True", "InvalidURL", "failed to parse the URL"),
    ],
  });
  await expect(fleet).toHaveAttribute("data-state", "Stalled", { timeout: 10_000 });
  await expect(fleet).toContainText("InvalidURL: failed to parse the URL");

  // The project page counts them, as each viewer sees the cluster.
  await bob.page.goto(projectUrl);
  await expect(bob.page.locator('li[data-agent="infra"]')).toContainText("2 Flux objects, 1 not Ready", {
    timeout: 30_000,
  });
});

test("Reconcile now, Suspend and Resume are sent as the viewer and change the object in the cluster", async () => {
  test.setTimeout(120_000);
  const { alice, gitopsUrl, auditUrl, ns } = await ready();
  const page = alice.page;
  await page.goto(gitopsUrl);
  const apps = row(page, "Kustomization", "apps");
  const actions = apps.getByTestId("flux-actions");
  await expect(actions.getByRole("button", { name: "Reconcile now" })).toBeVisible({ timeout: 60_000 });

  // Reconcile now: the annotation is set; the row says a request waits until the controller handles it.
  await actions.getByRole("button", { name: "Reconcile now" }).click();
  await expect(actions.getByRole("status")).toHaveText(`Asked Flux to reconcile kustomization ${ns}/apps.`);
  const requested = (
    await kubectl(
      "get",
      KS,
      "apps",
      "-n",
      ns,
      "-o",
      "jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}",
    )
  ).stdout;
  expect(Date.parse(requested)).toBeGreaterThan(Date.now() - 60_000);
  await expect(apps.getByTestId("flux-pending")).toBeVisible({ timeout: 10_000 });
  await writeStatus(kubectl, KS, ns, "apps", { lastHandledReconcileAt: requested });
  await expect(apps.getByTestId("flux-pending")).toHaveCount(0, { timeout: 10_000 });

  // Suspend, confirmed (by keyboard): spec.suspend flips in the cluster and the row says Suspended.
  await actions.getByRole("button", { name: "Suspend" }).click();
  const confirm = page.getByRole("dialog", { name: `Suspend Kustomization ${ns}/apps?` });
  await expect(confirm).toContainText("changes pushed to Git no longer reach the cluster");
  await confirm.getByRole("button", { name: "Suspend" }).focus();
  await page.keyboard.press("Enter");
  await expect(confirm).toBeHidden({ timeout: 15_000 });
  expect((await kubectl("get", KS, "apps", "-n", ns, "-o", "jsonpath={.spec.suspend}")).stdout).toBe("true");
  await expect(apps).toHaveAttribute("data-suspended", "true", { timeout: 10_000 });
  await expect(apps.getByTestId("flux-suspended")).toHaveText("Suspended");
  // Suspended, only Resume is offered (Flux ignores reconcile requests while suspended).
  await expect(actions.getByRole("button")).toHaveText(["Resume"]);

  await actions.getByRole("button", { name: "Resume" }).click();
  await expect(actions.getByRole("status")).toHaveText(`Resumed kustomization ${ns}/apps.`);
  expect((await kubectl("get", KS, "apps", "-n", ns, "-o", "jsonpath={.spec.suspend}")).stdout).toBe("false");
  await expect(apps).toHaveAttribute("data-suspended", "false", { timeout: 10_000 });

  await page.goto(auditUrl);
  const audit = page.getByRole("table", { name: /Audit log of/ });
  await expect(
    audit.getByText(`Asked Flux to reconcile kustomization ${ns}/apps in the cluster of agent infra`),
  ).toBeVisible();
  await expect(audit.getByText(`Suspended kustomization ${ns}/apps in the cluster of agent infra`)).toBeVisible();
  await expect(audit.getByText(`Resumed kustomization ${ns}/apps in the cluster of agent infra`)).toBeVisible();
});

test("a viewer whose RBAC forbids patching is offered nothing and reads the cluster's refusal", async () => {
  test.setTimeout(120_000);
  const { alice, bob, agentId, gitopsUrl, ns } = await ready();
  // Bob reads only: no buttons, a plain word why.
  await bob.page.goto(gitopsUrl);
  const bobApps = row(bob.page, "Kustomization", "apps");
  await expect(bobApps.getByTestId("flux-actions")).toContainText(
    "Read only: the cluster's RBAC does not let you change this Kustomization",
    { timeout: 60_000 },
  );
  await expect(bobApps.getByRole("button")).toHaveCount(0);
  const refused = await bob.page.request.post(`/api/agents/${agentId}/actions`, {
    data: {
      action: "suspend",
      path: "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
      namespace: ns,
      name: "apps",
    },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toContain(
    `User "tether:user:${bob.user.username}" cannot patch resource "kustomizations"`,
  );

  // Alice is offered Reconcile now; her binding goes before she clicks: the row shows the cluster's words.
  await alice.page.goto(gitopsUrl);
  const apps = row(alice.page, "Kustomization", "apps");
  const button = apps.getByRole("button", { name: "Reconcile now" });
  await expect(button).toBeVisible({ timeout: 60_000 });
  await kubectl("delete", "rolebinding", "operator-alice", "-n", ns);
  await untilCan(alice.user.username, "no", "patch", KS, "-n", ns);
  await button.click();
  await expect(apps.getByRole("alert")).toContainText(
    `the cluster refused: ${KS} "apps" is forbidden: User "tether:user:${alice.user.username}" cannot patch resource "kustomizations"`,
  );
  expect((await kubectl("get", KS, "apps", "-n", ns, "-o", "jsonpath={.spec.suspend}")).stdout).toBe("false");
});

test("the tab fits a 390 px wide screen, and a namespace can be named to see only its objects", async () => {
  const { alice, gitopsUrl, ns } = await ready();
  const page = alice.page;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.goto(gitopsUrl);
    await expect(row(page, "Kustomization", "apps")).toBeVisible({ timeout: 60_000 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // By keyboard: type a namespace with no Flux objects and press Enter; then the spec's own.
    await page.getByLabel("Namespace").fill("default");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "No Flux objects yet" })).toBeVisible({ timeout: 30_000 });
    await expect(page).toHaveURL(/\?namespace=default$/);
    await page.getByLabel("Namespace").fill(ns);
    await page.keyboard.press("Enter");
    await expect(row(page, "Kustomization", "apps")).toBeVisible({ timeout: 30_000 });
  } finally {
    await page.setViewportSize({ width: 1280, height: 720 });
  }
});
