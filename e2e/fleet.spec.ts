// The administrator's fleet view (/admin/fleet): a real agent on the testbed shows Connected with its
// Kubernetes version and support badge, a registered one that never connected shows so, the filters and
// the sort order live in the URL (a reload keeps them), it works with the keyboard and at 390 px, and
// nobody else gets anything but 404. Also: the agent's token says where it was last used from.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./test";
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";
import { specCluster } from "./cluster";
import { createProjectAgent, newAdminPage, newSignedInPage } from "./helpers";

test.describe.configure({ mode: "serial" });

const cluster = specCluster("fleet");
const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const live = `live-${stamp}`;
const idle = `idle-${stamp}`;

/** With TETHER_SCREENSHOTS_DIR set, the page in light and dark (the note's screenshot list); else nothing. */
async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.TETHER_SCREENSHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(dir, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

const row = (page: Page, name: string) => page.locator(`tr[data-agent$="/${name}"]`);

test("someone who is not an administrator gets 404 for the page and the REST route", async ({ browser }) => {
  const { page } = await newSignedInPage(browser, "fleetpleb");
  const res = await page.goto("/admin/fleet");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const api = await page.request.get("/api/admin/fleet");
  expect(api.status()).toBe(404);
  await page.context().close();

  // The sign-up form with every problem at once (the screenshot list's sign-up page).
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto("/sign-up");
  await anonymous.getByRole("button", { name: "Create account" }).click();
  await expect(anonymous.locator("p[id$='-error']")).toHaveCount(4);
  await screenshots(anonymous, "sign-up-errors");
  await anonymous.context().close();
});

test("the fleet: a connected real agent with its versions, filters and sort kept in the URL", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, user } = await newAdminPage(browser);
  const a = await createProjectAgent(page, user, live);
  // A second agent in the same project that never connects.
  const idleAgent = await page.request.post(`/api/projects/${a.projectId}/agents`, { data: { name: idle } });
  expect(idleAgent.status()).toBe(201);
  cluster.startAgent(a.token, live);

  // From the admin page.
  await page.goto("/admin");
  await screenshots(page, "admin");
  await page.getByRole("link", { name: "Fleet" }).click();
  await expect(page).toHaveURL(/\/admin\/fleet$/);
  await expect(page.getByRole("heading", { name: "Fleet", exact: true })).toBeVisible();
  await expect(page.getByTestId("kas-state")).toHaveAttribute("data-reachable", "true");

  await expect(row(page, live).locator("[data-status]").first()).toHaveText("Connected", { timeout: 30_000 });
  await expect(row(page, live)).toContainText(`v${TESTBED_DEFAULT_KUBERNETES}`);
  await expect(row(page, live)).toContainText("0.1.0");
  await expect(row(page, live).locator("[data-skew]")).toHaveCount(0);
  await expect(row(page, live).locator("span[data-status]").last()).toHaveText(/Supported|Support ending/);
  await expect(row(page, live).getByRole("link", { name: live, exact: true })).toHaveAttribute(
    "href",
    `/projects/${user.username}/${live}/-/clusters/${live}`,
  );
  await expect(row(page, idle).locator("[data-status]").first()).toHaveText("Never connected");
  await expect(row(page, idle)).toContainText("Unknown");
  // The replica that holds the live agent's tunnel.
  await expect(page.locator("tr[data-replica]").first()).toBeVisible();
  // Its project: 1 of 2 agents connected, linking to the fleet filtered to it.
  const project = page.locator(`tr[data-project="${user.username}/${live}"]`);
  await expect(project).toContainText("1 of 2");
  await screenshots(page, "admin-fleet");

  // Search for this spec's agents, then "Not connected": only the idle one; the URL keeps both.
  await page.getByLabel("Agent or project").fill(stamp);
  await expect(page.locator("tr[data-agent]")).toHaveCount(2);
  await page.getByRole("checkbox", { name: /Not connected/ }).check();
  await expect(page).toHaveURL(new RegExp(`not_connected=1.*q=${stamp}|q=${stamp}.*not_connected=1`));
  await expect(page.locator("tr[data-agent]")).toHaveCount(1);
  await expect(row(page, idle)).toBeVisible();
  await expect(page.getByText(/^1 of \d+ agents matches the filters\.$/)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: /Not connected/ })).toBeChecked();
  await expect(page.getByLabel("Agent or project")).toHaveValue(stamp);
  await expect(page.locator("tr[data-agent]")).toHaveCount(1);
  await expect(row(page, idle)).toBeVisible();

  // "Unsupported version" and "Version differs from kas" with these two keep nothing: the empty state clears them.
  await page.getByRole("checkbox", { name: /Not connected/ }).uncheck();
  await page.getByRole("checkbox", { name: /Unsupported Kubernetes version/ }).check();
  await expect(page.getByRole("heading", { name: "No agent matches these filters" })).toBeVisible();
  await page.getByRole("checkbox", { name: /Unsupported Kubernetes version/ }).uncheck();
  await page.getByRole("checkbox", { name: /Version differs from kas/ }).check();
  await expect(page.getByRole("heading", { name: "No agent matches these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(/\/admin\/fleet$/);
  await expect(page.getByRole("checkbox", { name: /Version differs from kas/ })).not.toBeChecked();

  // The REST route filters the same way.
  const api = (q: string) =>
    page.request.get(`/api/admin/fleet?${q}`).then(async (r) => {
      expect(r.status()).toBe(200);
      return ((await r.json()) as { agents: { name: string }[] }).agents.map((x) => x.name);
    });
  expect(await api(`q=${stamp}&not_connected=1`)).toEqual([idle]);
  expect(await api(`q=${stamp}&sort=status`)).toEqual([live, idle]);
  const bad = await page.request.get("/api/admin/fleet?sort=nodes");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ field: "sort" });

  // Sort by the keyboard: the header's button, Enter; the direction shows in aria-sort and the URL.
  await page.getByLabel("Agent or project").fill(stamp);
  const header = page.getByRole("columnheader", { name: /Kubernetes version/ });
  await header.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  await expect(page).toHaveURL(/sort=kubernetesVersion/);
  await expect(page.locator("tr[data-agent]").first()).toHaveAttribute("data-agent", new RegExp(`/${live}$`));
  await page.keyboard.press("Enter");
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect(page).toHaveURL(/dir=desc/);
  // Never reported stays last either way.
  await expect(page.locator("tr[data-agent]").last()).toHaveAttribute("data-agent", new RegExp(`/${idle}$`));
  await page.reload();
  await expect(page.getByRole("columnheader", { name: /Kubernetes version/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );

  // 390 px: the page itself does not scroll sideways (the tables scroll within their frames).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/fleet");
  await expect(row(page, live)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshots(page, "admin-fleet-390");
  await page.setViewportSize({ width: 1280, height: 900 });

  // The agent's token: last used just now, from the address kas saw the agent at.
  await page.goto(`/projects/${user.username}/${live}/-/clusters/${live}/tokens`);
  await expect(page.getByTestId("token-last-used-from")).toHaveText(/^from address 127\.0\.0\.1:\d+$/);
  await screenshots(page, "agent-tokens");
  await page.context().close();
});
