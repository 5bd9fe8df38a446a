// CPU and memory, as `kubectl top` shows them, against the testbed: without metrics-server the Overview and
// the Pods and Nodes tables say so once and have no empty columns; with the testbed's real metrics-server
// (scraping kwok's emulated kubelet metrics), a viewer whose RBAC leaves metrics.k8s.io out is told so,
// and once allowed sees each pod's and node's CPU and memory (sortable by the figure) and the cluster's use
// of its nodes' allocatable on the Overview.
import { expect, test, type Page } from "./test";
import { FAKE_NODE_NAME } from "../testbed/cluster";
import {
  metricsServerBuilt,
  startMetricsServer,
  USAGE_CPU_ANNOTATION,
  USAGE_MEMORY_ANNOTATION,
  type MetricsServer,
} from "../testbed/metrics-server";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage, type TestUser } from "./helpers";

const cluster = specCluster("metrics");
const kubectl = (...args: string[]) => cluster.kubectl(...args);
let metricsServer: MetricsServer | undefined;

test.afterAll(async () => {
  await metricsServer?.stop();
});

const NOT_SERVED = "Metrics unavailable: the cluster has no metrics-server (metrics.k8s.io).";

/** A project with an agent connected to the testbed, whose users may view everything and list nodes. */
async function connectAgent(page: Page, user: TestUser, name: string): Promise<string> {
  const { token, clusterUrl } = await createProjectAgent(page, user, name);
  cluster.startAgent(token, name);
  const create = (...args: string[]) => kubectl("create", ...args).catch(() => undefined);
  await create("clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user");
  await create("clusterrole", "tether-node-reader", "--verb=get,list,watch", "--resource=nodes");
  await create("clusterrolebinding", "tether-users-nodes", "--clusterrole=tether-node-reader", "--group=tether:user");
  return clusterUrl;
}

/**
 * Millicores from a CPU cell ("250m"). metrics-server turns kwok's cumulative CPU counter into a rate over
 * its own scrape times, so the figure may be off the annotated one by a little jitter (and kubectl, and
 * the table, round millicores up): compare it within 3%.
 */
function nearMillicores(text: string, expected: number): boolean {
  const m = /^(\d+)m$/.exec(text);
  return m !== null && Math.abs(Number(m[1]) - expected) <= expected * 0.03;
}

/** The text of `column`'s cell in the row of `name`. */
async function cell(page: Page, name: string, column: string): Promise<string> {
  const headers = await page.getByRole("columnheader").allTextContents();
  const index = headers.findIndex((h) => h.replace(/[▲▼]/g, "").trim() === column);
  if (index < 0) return `(no column ${column})`;
  return (await page.locator(`[role=row][data-name="${name}"]`).getByRole("cell").nth(index).textContent()) ?? "";
}

test("without metrics-server the Overview and the Pods and Nodes tables say so once, with no CPU or memory columns", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "nometrics");
  const clusterUrl = await connectAgent(page, user, "nometrics");

  await page.goto(clusterUrl);
  await expect(page.getByRole("link", { name: "Nodes ready: 1 of 1" })).toBeVisible({ timeout: 60_000 });
  const notice = page.getByTestId("metrics-notice");
  await expect(notice).toHaveText(NOT_SERVED);
  await expect(notice).toHaveCount(1);
  await expect(page.getByRole("group", { name: "Cluster resource usage" })).toHaveCount(0);

  for (const kind of ["pods", "nodes"]) {
    await page.goto(`${clusterUrl}?kind=${kind}`);
    await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
    await expect(notice).toHaveText(NOT_SERVED);
    await expect(notice).toHaveCount(1);
    await expect(page.getByRole("columnheader", { name: "Age", exact: true })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "CPU", exact: true })).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Memory", exact: true })).toHaveCount(0);
  }
  // Other tables have nothing to say about metrics.
  await page.goto(`${clusterUrl}?kind=configmaps`);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect(notice).toHaveCount(0);
});

test("with metrics-server: refused until RBAC allows metrics.k8s.io, then CPU and memory per pod and node and the cluster's usage", async ({
  browser,
}) => {
  // A cold cache builds metrics-server first.
  test.setTimeout(metricsServerBuilt() ? 180_000 : 1_800_000);
  const ns = `metrics-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", ns);
  const usage = (cpu: string, memory: string) => [
    `--annotations=${USAGE_CPU_ANNOTATION}=${cpu}`,
    `--annotations=${USAGE_MEMORY_ANNOTATION}=${memory}`,
  ];
  await kubectl("run", "busy", "-n", ns, "--image=registry.invalid/busy:1", ...usage("250m", "300Mi"));
  await kubectl("run", "idle", "-n", ns, "--image=registry.invalid/idle:1", ...usage("50m", "20Mi"));
  metricsServer = await startMetricsServer(cluster.testbed);

  const { page, user } = await newSignedInPage(browser, "metrics");
  const clusterUrl = await connectAgent(page, user, "metrics");

  // The built-in view role leaves metrics.k8s.io out: the cluster's refusal, said once.
  await page.goto(clusterUrl);
  const notice = page.getByTestId("metrics-notice");
  await expect(notice).toContainText(
    "Metrics hidden: you may not read metrics.k8s.io here. The cluster said: nodes.metrics.k8s.io is forbidden",
    { timeout: 60_000 },
  );
  await expect(notice).toHaveCount(1);

  await kubectl(
    "create",
    "clusterrole",
    "tether-metrics-reader",
    "--verb=get,list",
    "--resource=pods.metrics.k8s.io,nodes.metrics.k8s.io",
  );
  await kubectl(
    "create",
    "clusterrolebinding",
    "tether-users-metrics",
    "--clusterrole=tether-metrics-reader",
    "--group=tether:user",
  );

  // The Overview polls: the figures come without a reload.
  const figures = page.getByRole("group", { name: "Cluster resource usage" });
  await expect(figures).toBeVisible({ timeout: 45_000 });
  await expect(notice).toHaveCount(0);
  await expect(figures.getByTestId("cluster-cpu")).toHaveText(/^\d+(\.\d+)? of 32 cores \(\d+%\)$/);
  await expect(figures.getByTestId("cluster-memory")).toHaveText(/^\d+(\.\d+)?(Mi|Gi) of 256Gi \(\d+%\)$/);

  // Pods: kwok's annotated usage (one container each), as kubectl top pod prints it.
  await page.goto(`${clusterUrl}?kind=pods&namespace=${ns}`);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect(page.getByRole("columnheader", { name: "CPU", exact: true })).toBeVisible({ timeout: 30_000 });
  // A pod shows up in metrics.k8s.io after two scrapes, and the page asks every 15 s.
  await expect.poll(async () => nearMillicores(await cell(page, "busy", "CPU"), 250), { timeout: 60_000 }).toBe(true);
  expect(await cell(page, "busy", "Memory")).toBe("300Mi");
  await expect.poll(async () => nearMillicores(await cell(page, "idle", "CPU"), 50), { timeout: 30_000 }).toBe(true);
  expect(await cell(page, "idle", "Memory")).toBe("20Mi");
  await expect(notice).toHaveCount(0);

  // Sorted by the figure: 50m before 250m ascending (as text, "250m" would come first).
  const names = () =>
    page.locator("[role=row][data-name]").evaluateAll((rows) =>
      rows
        .map((r) => ({ name: r.getAttribute("data-name") ?? "", top: r.getBoundingClientRect().top }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.name),
    );
  const cpuHeader = page.getByRole("columnheader", { name: "CPU", exact: true });
  await cpuHeader.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(cpuHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(page).toHaveURL(/sort=cpu(&|$)/);
  await expect.poll(names).toEqual(["idle", "busy"]);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=-cpu/);
  await expect.poll(names).toEqual(["busy", "idle"]);

  // Nodes: the fake node's usage and its share of what it can allocate, as kubectl top node prints it.
  await page.goto(`${clusterUrl}?kind=nodes`);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect.poll(() => cell(page, FAKE_NODE_NAME, "CPU"), { timeout: 30_000 }).toMatch(/^\d+m \(\d+%\)$/);
  expect(await cell(page, FAKE_NODE_NAME, "Memory")).toMatch(/^\d+Mi \(\d+%\)$/);
});
