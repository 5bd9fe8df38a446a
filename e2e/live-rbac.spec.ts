// Two people look at one agent's cluster side by side (two browser contexts). Both are members of the
// agent's project, so each is impersonated as themselves, and the cluster's RBAC lets each read the
// ConfigMaps of one namespace only: each sees their namespace's objects, live, and is refused the
// other's; neither page ever shows the other's objects. Its own testbed: no binding lets every Tether user view.
import { expect, test, type Page } from "./test";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("rbac");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

test("two users with different RBAC see only their own namespace's ConfigMaps, side by side and live", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const alice = await newSignedInPage(browser, "alice");
  const bob = await newSignedInPage(browser, "bob");
  const group = `rbac-${stamp}`;
  for (const [url, data] of [
    ["/api/groups", { name: "RBAC", path: group }],
    [`/api/groups/${group}/members`, { username: bob.user.username, role: "developer" }],
  ] as const) {
    const res = await alice.page.request.post(url, { data });
    expect(res.status(), await res.text()).toBe(201);
  }
  const { token, clusterUrl } = await createProjectAgent(alice.page, alice.user, "infra", group);
  cluster.startAgent(token, "rbac");

  const [alpha, beta] = [`alpha-${stamp}`, `beta-${stamp}`];
  for (const [ns, who] of [
    [alpha, alice.user.username],
    [beta, bob.user.username],
  ] as const) {
    await kubectl("create", "namespace", ns);
    await kubectl("create", "role", "configmap-reader", "-n", ns, "--verb=get,list,watch", "--resource=configmaps");
    await kubectl(
      "create",
      "rolebinding",
      "configmap-reader",
      "-n",
      ns,
      "--role=configmap-reader",
      `--user=tether:user:${who}`,
    );
  }
  await kubectl("create", "configmap", "alice-plans", "-n", alpha, "--from-literal=plan=a");
  await kubectl("create", "configmap", "bob-notes", "-n", beta, "--from-literal=note=b");

  const open = async (page: Page, namespace: string) => {
    await page.goto(`${clusterUrl}?kind=configmaps&namespace=${namespace}`);
    await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  };
  const row = (page: Page, name: string) => page.locator(`[role=row][data-name="${name}"]`);
  const refused = (page: Page) => page.getByText("You cannot list configmaps here");

  // Both in alpha: Alice sees her ConfigMap; Bob is refused and sees no rows at all.
  await Promise.all([open(alice.page, alpha), open(bob.page, alpha)]);
  await expect(row(alice.page, "alice-plans")).toBeVisible();
  await expect(refused(bob.page)).toBeVisible();
  await expect(bob.page.locator("[role=row][data-name]")).toHaveCount(0);

  // A ConfigMap made now in alpha reaches Alice's page within 2 s and never Bob's.
  await kubectl("create", "configmap", "alice-fresh", "-n", alpha);
  await expect(row(alice.page, "alice-fresh")).toBeVisible({ timeout: 2_000 });
  await expect(bob.page.locator("[role=row][data-name]")).toHaveCount(0);

  // Both in beta: the other way round.
  await Promise.all([open(alice.page, beta), open(bob.page, beta)]);
  await expect(row(bob.page, "bob-notes")).toBeVisible();
  await expect(refused(alice.page)).toBeVisible();
  await expect(alice.page.locator("[role=row][data-name]")).toHaveCount(0);
  await kubectl("create", "configmap", "bob-fresh", "-n", beta);
  await expect(row(bob.page, "bob-fresh")).toBeVisible({ timeout: 2_000 });
  await expect(row(bob.page, "alice-plans")).toHaveCount(0);
  await expect(alice.page.locator("[role=row][data-name]")).toHaveCount(0);
});
