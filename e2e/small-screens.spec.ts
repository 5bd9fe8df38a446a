// Small screens and honest cluster states, without a cluster: at 390 px every main page fits the width
// (tables scroll inside their own box) and the menu button opens and closes the main navigation from the
// keyboard; an agent that never connected has a Cluster tab that says so instead of "0/0 nodes".
import { expect, test, type Page } from "./test";
import { createProjectAgent, newUser, signUpAs } from "./helpers";

const PHONE = { width: 390, height: 844 };

async function expectNoSidewaysScroll(page: Page, url: string) {
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${url} is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

test.use({ viewport: PHONE });

test("at 390 px wide no page scrolls sideways", async ({ page }) => {
  test.setTimeout(180_000);
  for (const url of ["/sign-in", "/sign-up", "/kubernetes-versions"]) await expectNoSidewaysScroll(page, url);
  const user = newUser("phone");
  // A long name, as people have: it must wrap or truncate, not widen the page.
  user.name = "Maximiliana Theodora Featherstonehaugh-Wolfeschlegelsteinhausen";
  await signUpAs(page, user);
  const name = `phone-${Date.now().toString(36)}-with-a-rather-long-project-name`;
  const agent = await createProjectAgent(page, user, name);
  const project = `/projects/${user.username}/${name}`;
  const agentPath = `${project}/-/clusters/${name}`;
  const pages = [
    "/projects",
    "/groups",
    "/groups/new",
    "/projects/new",
    project,
    `${project}/-/clusters`,
    `${project}/-/audit`,
    agentPath,
    agent.clusterUrl,
    `${agent.clusterUrl}?kind=pods`,
    `${agentPath}/tokens`,
    `${agentPath}/configuration`,
    `${agentPath}/sharing`,
    `${agentPath}/connect`,
    "/settings/tokens",
    "/kubernetes-versions",
  ];
  for (const url of pages) await expectNoSidewaysScroll(page, url);
});

test("at 390 px the menu button opens and closes the main navigation from the keyboard, and focus returns to it", async ({
  page,
}) => {
  await signUpAs(page, newUser("menu"));
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link")).toHaveText(["Projects", "Groups", "Kubernetes versions"]);
  await expect(page.locator(`#${await menu.getAttribute("aria-controls")}`)).toBeVisible();
  // The links follow the button in tab order; Escape closes and gives focus back to the button.
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Projects" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  // Space opens it again and a link navigates, closing it.
  await page.keyboard.press("Space");
  await nav.getByRole("link", { name: "Groups" }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(nav).toBeHidden();
  // Wide again: the sidebar is back and the button is gone.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(nav).toBeVisible();
});

test("a never-connected agent's Cluster tab says so and how to connect it, with no 0/0 or all-clear figures", async ({
  page,
}) => {
  const user = newUser("never");
  await signUpAs(page, user);
  const agent = await createProjectAgent(page, user, `never-${Date.now().toString(36)}`);
  await page.goto(agent.clusterUrl);
  const notice = page.getByTestId("cluster-reach");
  await expect(notice).toContainText("This agent has never connected");
  await expect(notice.getByRole("link", { name: "Tokens" })).toHaveAttribute(
    "href",
    agent.clusterUrl.replace(/\/cluster$/, "/tokens"),
  );
  const body = page.locator("main");
  await expect(body).not.toContainText("0/0");
  await expect(body).not.toContainText("has all its replicas ready");
  await expect(body).not.toContainText("No Warning events");
  await expect(page.getByTestId("nodes-ready")).toHaveCount(0);
  // A kind's table says the same rather than "No pods in the cluster" or "0 pods".
  await page.goto(`${agent.clusterUrl}?kind=pods`);
  await expect(notice).toContainText("This agent has never connected");
  await expect(body).not.toContainText(/No pods|0 pods/);
});
