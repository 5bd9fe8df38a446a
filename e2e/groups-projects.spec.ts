import { expect, test } from "./test";
import { newSignedInPage } from "./helpers";

test("an owner creates a group, adds a developer, creates a project; an outsider gets 404", async ({ browser }) => {
  const dev = await newSignedInPage(browser, "dev");
  const outsider = await newSignedInPage(browser, "out");
  const { page, user: owner } = await newSignedInPage(browser, "owner");
  const groupPath = `team-${Date.now().toString(36)}`;

  await page.getByRole("link", { name: "Groups" }).click();
  await page.getByRole("link", { name: "New group" }).click();
  await page.getByLabel("Group name").fill("Platform team");
  await page.getByLabel("Group path").fill("-bad path-");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.locator("#path-error")).toContainText("Path may contain only letters");
  await page.getByLabel("Group path").fill(groupPath);
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(new RegExp(`/groups/${groupPath}$`));
  await expect(page.getByRole("heading", { name: "Platform team", level: 1 })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(`@${owner.username}.*owner`, "i") })).toBeVisible();

  await page.getByLabel("Username", { exact: true }).fill("nobody-at-all");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.locator("#member-username-error")).toHaveText('No user with the username "nobody-at-all"');
  await page.getByLabel("Username", { exact: true }).fill(dev.user.username);
  await page.getByLabel("Role", { exact: true }).selectOption("developer");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`@${dev.user.username}.*developer`, "i") })).toBeVisible();

  await page.getByRole("link", { name: "New project" }).click();
  await page.getByLabel("Project name").fill("Production clusters");
  await expect(page.getByLabel("Group or personal namespace")).toHaveValue(groupPath);
  await page.getByLabel("Project path").fill("prod");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${groupPath}/prod$`));
  await expect(page.getByRole("heading", { name: "No agents registered yet" })).toBeVisible();

  // The developer sees the project through the group, without the maintainer's controls.
  await dev.page.goto("/projects");
  await dev.page.getByRole("link", { name: `${groupPath}/prod` }).click();
  await expect(dev.page.getByText("A maintainer of this project can register an agent")).toBeVisible();

  // The outsider cannot tell the group or the project exist.
  for (const url of [`/projects/${groupPath}/prod`, `/groups/${groupPath}`]) {
    const res = await outsider.page.goto(url);
    expect(res?.status()).toBe(404);
    await expect(outsider.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  const api = await outsider.page.request.post(`/api/groups/${groupPath}/members`, {
    data: { username: outsider.user.username, role: "owner" },
  });
  expect(api.status()).toBe(404);
  await outsider.page.goto("/projects");
  await expect(outsider.page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
});
