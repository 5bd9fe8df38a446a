// The kind picker is a combobox, driven as a person does against the testbed: typing kubectl's short name
// narrows the list and Enter opens the table; the arrow keys move through the options, Escape closes and
// puts back the kind shown, Tab leaves without changing it; at 390 px the list fits the screen.
import { expect, test, type Page } from "./test";
import { specCluster } from "./cluster";
import { createProjectAgent, kindOptions, kindPicker, newSignedInPage } from "./helpers";

const cluster = specCluster("kinds");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

async function setUp(page: Page, user: Parameters<typeof createProjectAgent>[1], name: string) {
  const { token, clusterUrl } = await createProjectAgent(page, user, name);
  cluster.startAgent(token, name);
  await kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user").catch(
    () => undefined,
  );
  const ns = `kinds-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", ns);
  await kubectl("create", "deployment", "shop", "-n", ns, "--image=registry.invalid/shop:1");
  await kubectl("create", "service", "clusterip", "cart", "-n", ns, "--tcp=80:8080");
  return { clusterUrl, ns };
}

test("the kind picker from the keyboard: type deploy and Enter opens Deployments; arrows move, Escape restores, Tab leaves", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "kinds");
  const { clusterUrl, ns } = await setUp(page, user, "kinds");
  await page.goto(`${clusterUrl}?namespace=${ns}`);
  const picker = kindPicker(page);
  const list = await kindOptions(page);
  await expect(picker).toHaveValue("Overview");
  await expect(picker).toHaveAttribute("aria-expanded", "false");

  // Focused from the keyboard, "deploy" leaves Deployments first and active; Enter opens its table.
  await picker.focus();
  await page.keyboard.type("deploy");
  await expect(picker).toHaveAttribute("aria-expanded", "true");
  const deployments = list.getByRole("option", { name: "Deployments", exact: true });
  await expect(deployments).toBeVisible();
  await expect(picker).toHaveAttribute("aria-activedescendant", (await deployments.getAttribute("id"))!);
  await expect(list.getByRole("group", { name: "Workloads" })).toBeVisible();
  await expect(list.getByRole("option", { name: "ConfigMaps" })).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/kind=deployments/);
  await expect(page).toHaveURL(new RegExp(`namespace=${ns}`));
  await expect(picker).toHaveValue("Deployments");
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("table", { name: "Deployments" })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[role=row][data-name="shop"]')).toBeVisible({ timeout: 30_000 });

  // Still in the field: select its text and type again. "svc" is Services.
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("svc");
  const services = list.getByRole("option", { name: "Services", exact: true });
  await expect(picker).toHaveAttribute("aria-activedescendant", (await services.getAttribute("id"))!);
  await page.keyboard.press("Escape");
  // Escape closes and puts back the kind shown; the view stays.
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(picker).toHaveValue("Deployments");
  await expect(page).toHaveURL(/kind=deployments/);

  // "job" is Jobs exactly, then CronJobs, which has it inside; ArrowDown moves to CronJobs, ArrowUp back and
  // down again; Enter opens it.
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("job");
  await expect(list.getByRole("option").nth(0)).toHaveText(/^Jobs/);
  await expect(list.getByRole("option").nth(1)).toHaveText(/^CronJobs/);
  const jobs = list.getByRole("option", { name: "Jobs", exact: true });
  const cronJobs = list.getByRole("option", { name: "CronJobs", exact: true });
  await expect(picker).toHaveAttribute("aria-activedescendant", (await jobs.getAttribute("id"))!);
  await page.keyboard.press("ArrowDown");
  await expect(picker).toHaveAttribute("aria-activedescendant", (await cronJobs.getAttribute("id"))!);
  await page.keyboard.press("ArrowUp");
  await expect(picker).toHaveAttribute("aria-activedescendant", (await jobs.getAttribute("id"))!);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/kind=cronjobs/);
  await expect(picker).toHaveValue("CronJobs");
  await expect(page.getByRole("table", { name: "CronJobs" })).toBeVisible({ timeout: 60_000 });

  // Nothing matches: the list says so; Tab leaves the field, which shows the kind in view again.
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("widgets");
  await expect(list).toContainText("No kind matches “widgets”");
  await page.keyboard.press("Tab");
  await expect(picker).not.toBeFocused();
  await expect(picker).toHaveValue("CronJobs");
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(page).toHaveURL(/kind=cronjobs/);
});

test("at 390 px the kind picker's list fits the screen and picks by touch", async ({ browser }) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "kindsphone");
  const { clusterUrl, ns } = await setUp(page, user, "kindsphone");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${clusterUrl}?kind=pods&namespace=${ns}`);
  const picker = kindPicker(page);
  await expect(picker).toHaveValue("Pods");
  await page.getByRole("button", { name: "Show all kinds" }).click();
  const list = await kindOptions(page);
  await expect(list.getByRole("option", { name: "Services", exact: true })).toBeVisible();
  const box = (await list.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await list.getByRole("option", { name: "Services", exact: true }).click();
  await expect(page).toHaveURL(/kind=services/);
  await expect(page.locator('[role=row][data-name="cart"]')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
