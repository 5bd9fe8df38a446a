// The cluster table as Lens and Headlamp users work it, against the testbed: sort by a column both ways
// from the keyboard (kept in the URL), a label selector sent to the cluster (a malformed one refused with
// its reason), two namespaces at once, an unknown kind= that says so; in the drawer, a pod's owners as
// links (Pod → ReplicaSet → Deployment, Back returns) and each container's state with a waiting reason; the
// objects it owns the other way (Deployment → ReplicaSet → Pod), the pod's own events, annotations with
// kubectl's last-applied copy folded, and its YAML copied to the clipboard and downloaded.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./test";
import { specCluster } from "./cluster";
import { writeStatus } from "./flux-fixtures";
import { createProjectAgent, kindPicker, newSignedInPage, type TestUser } from "./helpers";

const cluster = specCluster("table");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

/** A project with an agent connected to the testbed, whose users may view everything; the Cluster tab's URL. */
async function connectAgent(page: Page, user: TestUser, name: string): Promise<string> {
  const { token, clusterUrl } = await createProjectAgent(page, user, name);
  cluster.startAgent(token, name);
  await kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user").catch(
    () => undefined,
  );
  return clusterUrl;
}

/** The table's names, top to bottom. */
async function names(page: Page): Promise<string[]> {
  return page.locator("[role=row][data-name]").evaluateAll((rows) =>
    rows
      .map((r) => ({ name: r.getAttribute("data-name") ?? "", top: r.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.name),
  );
}

/** A ConfigMap with `keys` keys and the given labels. */
async function configMap(namespace: string, name: string, keys: number, labels: string[]) {
  const literals = Array.from({ length: keys }, (_, i) => `--from-literal=k${i}=v`);
  await kubectl("create", "configmap", name, "-n", namespace, ...literals);
  if (labels.length) await kubectl("label", "configmap", name, "-n", namespace, ...labels);
}

test("sort by a column from the keyboard, filter by labels, show two namespaces; all kept in the URL; an unknown kind says so", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "table");
  const clusterUrl = await connectAgent(page, user, "table");
  const id = Date.now().toString(36);
  const [one, two, three] = [`t1-${id}`, `t2-${id}`, `t3-${id}`];
  for (const ns of [one, two, three]) await kubectl("create", "namespace", ns);
  await configMap(one, "alpha", 10, ["app=web", "tier=front"]);
  await configMap(one, "beta", 2, ["app=db"]);
  await configMap(one, "gamma", 1, ["app=web"]);
  await configMap(two, "delta", 3, ["app=web"]);
  await configMap(three, "omega", 1, ["app=web"]);

  await page.goto(`${clusterUrl}?kind=configmaps&namespace=${one}`);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  // Each namespace has its kube-root-ca.crt ConfigMap too (1 key).
  const ca = "kube-root-ca.crt";
  await expect.poll(() => names(page), { timeout: 15_000 }).toEqual(["alpha", "beta", "gamma", ca]);

  // Status ("N keys") sorts by the number, not as text: 10 keys last ascending, first descending.
  const header = page.getByRole("columnheader", { name: "Status" });
  await expect(header).toHaveAttribute("aria-sort", "none");
  await header.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect(page).toHaveURL(/sort=status(&|$)/);
  await expect.poll(() => names(page)).toEqual(["gamma", ca, "beta", "alpha"]);
  await page.keyboard.press("Enter");
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(page).toHaveURL(/sort=-status/);
  await expect.poll(() => names(page)).toEqual(["alpha", "beta", "gamma", ca]);
  // Age, the other way: the newest first ascending.
  await page.getByRole("columnheader", { name: "Age" }).getByRole("button").click();
  await expect(page.getByRole("columnheader", { name: "Age" })).toHaveAttribute("aria-sort", "ascending");
  await expect(header).toHaveAttribute("aria-sort", "none");
  await page.getByRole("columnheader", { name: "Status" }).getByRole("button").click();

  // A malformed selector says why and changes nothing.
  const selector = page.getByLabel("Label selector");
  await selector.fill("app web");
  await selector.press("Enter");
  const problem = page.getByRole("alert").filter({ hasText: "Not applied" });
  await expect(problem).toContainText('Not applied: after "app" expected =, ==, !=, in, notin, > or <');
  await expect(selector).toHaveAttribute("aria-invalid", "true");
  await expect(page).not.toHaveURL(/selector=/);
  expect(await names(page)).toHaveLength(4);
  // A good one goes to the cluster: only matching rows.
  await selector.fill("app = web, tier notin (back)");
  await selector.press("Enter");
  await expect(page).toHaveURL(/selector=app%3Dweb%2Ctier\+notin\+%28back%29/);
  await expect(selector).toHaveValue("app=web,tier notin (back)");
  await expect.poll(() => names(page), { timeout: 15_000 }).toEqual(["gamma", "alpha"]);
  await expect(problem).toHaveCount(0);

  // Two namespaces: the checkbox list, from the keyboard.
  const several = page.getByRole("button", { name: "Several…" });
  await several.focus();
  await page.keyboard.press("Enter");
  const choices = page.getByRole("group", { name: "Namespaces" });
  await expect(choices.getByRole("checkbox", { name: one })).toBeChecked();
  await choices.getByRole("checkbox", { name: two }).focus();
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(new RegExp(`namespace=${one}%2C${two}|namespace=${one},${two}`));
  await expect(choices).toBeVisible();
  await expect.poll(() => names(page), { timeout: 15_000 }).toEqual(["gamma", "delta", "alpha"]);
  await expect(page.locator(`[role=row][data-name="delta"]`).getByRole("cell").nth(1)).toHaveText(two);
  await page.keyboard.press("Escape");
  await expect(choices).toHaveCount(0);
  await expect(several).toBeFocused();
  await expect(page.getByLabel("Namespace")).toHaveValue(`${one},${two}`);

  // The link reopens the same view: namespaces, selector and sort.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect.poll(() => names(other), { timeout: 15_000 }).toEqual(["gamma", "delta", "alpha"]);
  await expect(other.getByRole("columnheader", { name: "Status" })).toHaveAttribute("aria-sort", "ascending");
  await expect(other.getByLabel("Label selector")).toHaveValue("app=web,tier notin (back)");

  // At 390 px the page does not scroll sideways, and the new controls are there.
  await other.setViewportSize({ width: 390, height: 844 });
  await other.getByRole("button", { name: "Several…" }).click();
  const box = await other.getByRole("group", { name: "Namespaces" }).boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  // What sticks out, if anything (outside boxes that scroll sideways themselves), names itself.
  const wide = await other.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth && !e.closest(".overflow-x-auto"))
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
  );
  expect(await other.evaluate(() => document.documentElement.scrollWidth), wide.join("\n")).toBeLessThanOrEqual(390);
  await other.close();

  // A kind the cluster does not serve says so, with a way back.
  await page.goto(`${clusterUrl}?kind=widgets.example.com%2Fv1%2Fwidgets`);
  await expect(page.getByText("This cluster does not serve kind widgets.example.com/v1/widgets")).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole("link", { name: "Back to the cluster's Overview" }).click();
  await expect(kindPicker(page)).toHaveValue("Overview");
});

test("a pod's drawer links its ReplicaSet and that its Deployment, and says each container's state", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "owners");
  const clusterUrl = await connectAgent(page, user, "owners");
  const namespace = `own-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", namespace);
  await kubectl("create", "deployment", "web", "-n", namespace, "--image=nginx");

  await page.goto(`${clusterUrl}?kind=pods&namespace=${namespace}&selector=app%3Dweb`);
  const row = page.locator("[role=row][data-name^='web-']");
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row.getByRole("cell").nth(2)).toHaveText("Running", { timeout: 30_000 });
  await row.getByRole("button").click();
  const podName = (await row.getAttribute("data-name"))!;
  const podDrawer = page.getByRole("dialog", { name: `${podName} details` });
  const containers = podDrawer.getByRole("region", { name: "Containers" });
  await expect(containers.locator('[data-container="nginx"]')).toContainText("Running");
  await expect(containers.locator('[data-container="nginx"]')).toContainText("Restarts0");

  // Pod → ReplicaSet, from the keyboard.
  const rsLink = podDrawer.getByRole("region", { name: "Owners" }).getByRole("link", { name: /^ReplicaSet web-/ });
  const rsName = ((await rsLink.textContent()) ?? "").replace("ReplicaSet ", "");
  await rsLink.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/kind=replicasets/);
  const rsDrawer = page.getByRole("dialog", { name: `${rsName} details` });
  await expect(rsDrawer).toBeVisible({ timeout: 30_000 });
  // ReplicaSet → Deployment.
  await rsDrawer.getByRole("region", { name: "Owners" }).getByRole("link", { name: "Deployment web" }).click();
  await expect(page).toHaveURL(/kind=deployments/);
  await expect(page.getByRole("dialog", { name: "web details" })).toBeVisible({ timeout: 30_000 });
  // Back returns to the ReplicaSet.
  await page.goBack();
  await expect(rsDrawer).toBeVisible({ timeout: 30_000 });

  // A container waiting to pull its image: the reason and the kubelet's message. The pod stays unscheduled
  // (no node matches), so no kubelet overwrites the status written here as one would.
  await kubectl(
    "run",
    "stuck",
    "-n",
    namespace,
    "--image=registry.invalid/app:1",
    "--overrides",
    JSON.stringify({ spec: { nodeSelector: { "tether.test/nowhere": "true" } } }),
  );
  await writeStatus(kubectl, "pod", namespace, "stuck", {
    containerStatuses: [
      {
        name: "stuck",
        image: "registry.invalid/app:1",
        imageID: "",
        ready: false,
        restartCount: 3,
        started: false,
        state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "registry.invalid/app:1"' } },
        lastState: { terminated: { reason: "Error", exitCode: 2, startedAt: null, finishedAt: null } },
      },
    ],
  });
  await page.goto(`${clusterUrl}?kind=pods&namespace=${namespace}&open=${namespace}%2Fstuck`);
  const stuck = page.getByRole("dialog", { name: "stuck details" }).locator('[data-container="stuck"]');
  await expect(stuck.getByTestId("container-state")).toContainText("Waiting: ImagePullBackOff", { timeout: 60_000 });
  await expect(stuck).toContainText('Back-off pulling image "registry.invalid/app:1"');
  await expect(stuck).toContainText("Restarts3");
  await expect(stuck).toContainText("Last stateTerminated: Error (exit code 2)");
});

test("a Deployment's drawer links the ReplicaSet it owns, that its Pod; the pod's own events; Copy YAML and Download YAML", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "owned");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const clusterUrl = await connectAgent(page, user, "owned");
  const namespace = `owns-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", namespace);
  await kubectl("create", "deployment", "shop", "-n", namespace, "--image=nginx");

  await page.goto(`${clusterUrl}?kind=deployments&namespace=${namespace}&open=${namespace}%2Fshop`);
  const deployment = page.getByRole("dialog", { name: "shop details" });
  await expect(deployment).toBeVisible({ timeout: 60_000 });
  // The deployment controller's own words about it, and its revision among the annotations.
  await expect(deployment.getByRole("region", { name: "Events" })).toContainText("ScalingReplicaSet", {
    timeout: 30_000,
  });
  await expect(deployment.getByRole("region", { name: "Annotations" })).toContainText(
    "deployment.kubernetes.io/revision",
  );

  // Deployment → its ReplicaSet, from the keyboard.
  const rsLink = deployment
    .getByRole("region", { name: "Owned objects" })
    .getByRole("link", { name: /^ReplicaSet shop-/ });
  await expect(rsLink).toBeVisible({ timeout: 30_000 });
  const rsName = ((await rsLink.textContent()) ?? "").replace("ReplicaSet ", "");
  await rsLink.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/kind=replicasets/);
  const replicaSet = page.getByRole("dialog", { name: `${rsName} details` });
  await expect(replicaSet).toBeVisible({ timeout: 30_000 });
  // ReplicaSet → its Pod.
  const podLink = replicaSet.getByRole("region", { name: "Owned objects" }).getByRole("link", { name: /^Pod shop-/ });
  await expect(podLink).toBeVisible({ timeout: 30_000 });
  const podName = ((await podLink.textContent()) ?? "").replace("Pod ", "");
  await podLink.click();
  await expect(page).toHaveURL(/kind=pods/);
  const pod = page.getByRole("dialog", { name: `${podName} details` });
  await expect(pod).toBeVisible({ timeout: 30_000 });

  // The pod's own events: the scheduler's, not the ReplicaSet's.
  const events = pod.getByRole("region", { name: "Events" });
  await expect(events.locator('[data-event-reason="Scheduled"]')).toContainText(
    `Successfully assigned ${namespace}/${podName}`,
    { timeout: 30_000 },
  );
  await expect(events.locator('[data-event-reason="SuccessfulCreate"]')).toHaveCount(0);

  // Copy YAML puts the pod as YAML on the clipboard.
  const yaml = pod.getByRole("region", { name: "YAML" });
  await expect(yaml.locator("pre")).toContainText(`name: ${podName}`);
  await yaml.getByRole("button", { name: "Copy YAML" }).click();
  await expect(yaml.getByText("Copied", { exact: true })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("kind: Pod");
  expect(copied).toContain(`name: ${podName}`);
  // Download YAML saves the same text as <kind>-<namespace>-<name>.yaml.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    yaml.getByRole("button", { name: "Download YAML" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`pod-${namespace}-${podName}.yaml`);
  const saved = await download.path();
  expect(fs.readFileSync(saved, "utf8")).toContain(`name: ${podName}`);

  // At 390 px the drawer does not scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(events.locator('[data-event-reason="Scheduled"]')).toBeVisible();
  expect(await pod.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 720 });

  // An object with no events says so; kubectl's last-applied copy is folded behind its own toggle.
  const file = path.join(cluster.workDir, `${namespace}-quiet.yaml`);
  fs.writeFileSync(
    file,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: quiet\n  namespace: ${namespace}\ndata:\n  color: green\n`,
  );
  await kubectl("apply", "-f", file);
  await page.goto(`${clusterUrl}?kind=configmaps&namespace=${namespace}&open=${namespace}%2Fquiet`);
  const quiet = page.getByRole("dialog", { name: "quiet details" });
  await expect(quiet.getByRole("region", { name: "Events" })).toContainText("No events for this object.", {
    timeout: 60_000,
  });
  const toggle = quiet.getByRole("button", { name: /Show kubectl's last-applied configuration/ });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(quiet.getByLabel("Last-applied configuration")).toHaveCount(0);
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(quiet.getByLabel("Last-applied configuration")).toContainText('"color": "green"');
});
