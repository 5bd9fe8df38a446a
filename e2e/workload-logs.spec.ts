// A Deployment's pods' logs together, against the testbed (kwok serves every container the same log file):
// the drawer's "Logs of its pods" follows both pods of a two-replica Deployment, each line prefixed with its
// [pod/container] in the pod's colour; a line written now arrives once per pod; the pod filter and search
// narrow what is shown; while it follows, a pod the Deployment gains (scaled up) joins with its own prefix and
// one it loses (scaled down) is marked as ended; past ten pods the view says it follows ten of them.
import { expect, test } from "./test";
import { appendContainerLog } from "../testbed/cluster";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("wlogs");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

/** The Deployment's pods' names, once there are `count` (terminating ones included). */
async function podsLeft(ns: string, count: number): Promise<string[]> {
  let names: string[] = [];
  await expect
    .poll(
      async () => {
        const out = await kubectl("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}");
        names = out.stdout.split(" ").filter(Boolean).sort();
        return names.length;
      },
      { timeout: 90_000 },
    )
    .toBe(count);
  return names;
}

/** The Deployment's pods' names, once `count` are Running. */
async function runningPods(ns: string, count: number): Promise<string[]> {
  let names: string[] = [];
  await expect
    .poll(
      async () => {
        const out = await kubectl(
          "get",
          "pods",
          "-n",
          ns,
          "-l",
          "app=web",
          "--field-selector=status.phase=Running",
          "-o",
          "jsonpath={.items[*].metadata.name}",
        );
        names = out.stdout.split(" ").filter(Boolean).sort();
        return names.length;
      },
      { timeout: 90_000 },
    )
    .toBe(count);
  return names;
}

test("a Deployment's two pods' logs are followed together with [pod/container] prefixes, filtered by pod and searched", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const { page, user } = await newSignedInPage(browser, "wlogs");
  const { token, clusterUrl } = await createProjectAgent(page, user, "wlogs");
  cluster.startAgent(token, "wlogs");
  // The built-in view role reads pods and their logs.
  await kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user");
  const ns = `wlogs-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", ns);
  await kubectl("create", "deployment", "web", "-n", ns, "--image=registry.invalid/web:1", "--replicas=2");
  const [a, b] = await runningPods(ns, 2);
  const streams = cluster.testbed.streams!;

  await page.goto(`${clusterUrl}?kind=deployments&namespace=${ns}&open=${ns}/web`);
  const drawer = page.getByRole("dialog", { name: "web details" });
  await expect(drawer).toBeVisible({ timeout: 60_000 });
  const section = drawer.getByRole("region", { name: "Logs of its pods" });
  await section.getByRole("button", { name: "Show logs" }).click();
  const log = section.getByRole("log", { name: "Logs of web's pods" });
  const first = streams.initialLogLines[0]!;
  await expect(log.locator("[data-log-line]", { hasText: `[${a}/web] ${first}` })).toHaveCount(1, { timeout: 30_000 });
  await expect(log.locator("[data-log-line]", { hasText: `[${b}/web] ${first}` })).toHaveCount(1);
  const state = section.locator("[data-log-state]");
  await expect(state).toHaveAttribute("data-log-state", "following");
  await expect(state).toContainText("Following 2 logs");
  // Each pod's prefix has its own colour.
  const colour = (pod: string) =>
    log
      .locator(`[data-log-line][data-pod="${pod}"] span`)
      .first()
      .evaluate((e) => getComputedStyle(e).color);
  expect(await colour(a!)).not.toBe(await colour(b!));

  // A line written now reaches both followers, each under its own prefix.
  const fresh = `fresh line ${Date.now().toString(36)}`;
  await appendContainerLog(streams, fresh);
  const freshLines = log.locator("[data-log-line]", { hasText: fresh });
  await expect(freshLines).toHaveCount(2, { timeout: 15_000 });
  await expect(freshLines).toHaveText([
    new RegExp(`^\\[(${a}|${b})/web\\] ${fresh}$`),
    new RegExp(`^\\[(${a}|${b})/web\\] ${fresh}$`),
  ]);

  // The pod filter leaves one pod's lines; search narrows further.
  await section.getByLabel("Pod", { exact: true }).selectOption(a!);
  await expect(freshLines).toHaveText([`[${a}/web] ${fresh}`]);
  await expect(log.locator(`[data-log-line][data-pod="${b}"]`)).toHaveCount(0);
  await section.getByLabel("Pod", { exact: true }).selectOption("");
  await section.getByLabel("Search the logs").fill(fresh);
  await expect(state).toContainText("2 matches");
  await expect(log.locator("[data-log-line]")).toHaveCount(2);
  await section.getByLabel("Search the logs").fill("");

  // Scaled up while followed: the new pod's log joins under its own prefix, and so do its new lines.
  await kubectl("scale", "deployment", "web", "-n", ns, "--replicas=3");
  const c = (await runningPods(ns, 3)).find((p) => p !== a && p !== b)!;
  await expect(log.locator("[data-log-line]", { hasText: `[${c}/web] ${first}` })).toHaveCount(1, { timeout: 30_000 });
  await expect(state).toContainText("Following 3 logs");
  await expect(section.getByLabel("Pod", { exact: true }).locator("option")).toHaveCount(4);
  const later = `later line ${Date.now().toString(36)}`;
  await appendContainerLog(streams, later);
  await expect(log.locator("[data-log-line]", { hasText: later })).toHaveCount(3, { timeout: 15_000 });
  await expect(log.locator(`[data-log-line][data-pod="${c}"]`, { hasText: later })).toHaveCount(1);

  // Scaled down: the pod that went is marked as ended; its lines stay.
  await kubectl("scale", "deployment", "web", "-n", ns, "--replicas=2");
  const left = await podsLeft(ns, 2);
  const went = [a!, b!, c].find((p) => !left.includes(p))!;
  await expect(section.getByTestId("log-gone")).toHaveText(`Ended, the pod was deleted: ${went}.`, {
    timeout: 30_000,
  });
  await expect(state).toContainText("Following 2 logs");
  await expect(
    section.getByLabel("Pod", { exact: true }).locator("option", { hasText: `${went} (ended)` }),
  ).toHaveCount(1);
  await expect(log.locator(`[data-log-line][data-pod="${went}"]`, { hasText: later })).toHaveCount(1);

  // Twelve pods: ten are followed, and the view says so.
  await kubectl("scale", "deployment", "web", "-n", ns, "--replicas=12");
  await runningPods(ns, 12);
  await section.getByRole("button", { name: "Stop and hide" }).click();
  await section.getByRole("button", { name: "Show logs" }).click();
  await expect(section.getByTestId("log-limit")).toContainText("Following 10 of 12 logs: at most 10 at once", {
    timeout: 30_000,
  });
  await expect(state).toContainText("Following 10 logs");
  await expect(section.getByLabel("Pod", { exact: true }).locator("option")).toHaveCount(11);
});
