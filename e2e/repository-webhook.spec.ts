// The repository webhook end to end: a maintainer creates it on the project's Settings tab and sees the
// secret once, rotates it after a confirmation (the old secret is then refused), follows the GitHub steps;
// a signed push shows on the project page with each agent's outcome; a developer sees the URL but cannot
// change it; the tab fits 390 px; deleting makes the URL answer 404.
import { createHmac } from "node:crypto";
import { expect, request as playwrightRequest, test, type Page } from "./test";
import { newSignedInPage } from "./helpers";

async function post(page: Page, url: string, data: unknown) {
  const res = await page.request.post(url, { data });
  expect(res.status(), `${url}: ${await res.text()}`).toBe(201);
  return res.json() as Promise<Record<string, { id: string }>>;
}

test("maintainers create, rotate and delete the repository webhook; a signed push shows per agent on the project page", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const maint = await newSignedInPage(browser, "whmaint");
  const dev = await newSignedInPage(browser, "whdev");
  const page = maint.page;
  const group = `wh-${stamp}`;
  await post(page, "/api/groups", { name: "Hooks", path: group });
  await post(page, `/api/groups/${group}/members`, { username: dev.user.username, role: "developer" });
  const project = (await post(page, "/api/projects", { name: "Deploy", path: "deploy", namespace: group })).project!;
  await post(page, `/api/projects/${project.id}/agents`, { name: "prod" });
  const fullPath = `${group}/deploy`;

  // No pushes yet; the project page says where the webhook is made.
  await page.goto(`/projects/${fullPath}`);
  await expect(page.getByRole("heading", { name: "No pushes received" })).toBeVisible();
  await page.getByRole("link", { name: "repository webhook" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${fullPath}/-/settings#repository-webhook-heading$`));
  const panel = page.getByRole("region", { name: "Repository webhook" });
  await expect(panel.getByRole("heading", { name: "No repository webhook" })).toBeVisible();

  // Create: the URL, and the secret this once.
  await panel.getByRole("button", { name: "Create webhook" }).click();
  const secretBox = panel.getByRole("status").filter({ hasText: "shown this once" });
  await expect(secretBox).toContainText("shown this once");
  const first = (await secretBox.locator("code").textContent())!;
  expect(first).toMatch(/^tthr_whsec_/);
  const url = (await panel.locator("code", { hasText: "/api/webhooks/git/" }).textContent())!;
  expect(url).toMatch(new RegExp(`^${baseURL}/api/webhooks/git/[0-9a-f]{32}$`));

  // The steps per forge, chosen from the keyboard.
  await expect(panel.getByRole("list", { name: "Steps for GitLab" })).toContainText("X-Gitlab-Token");
  await panel.getByLabel("GitHub").focus();
  await page.keyboard.press("Space");
  const steps = panel.getByRole("list", { name: "Steps for GitHub" });
  await expect(steps).toContainText(`Payload URL: ${url}`);
  await expect(steps).toContainText("application/json");

  // Rotate after a confirmation: a new secret; after a reload, no secret at all.
  await panel.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate" }).click();
  await expect(secretBox.locator("code")).not.toHaveText(first);
  const secret = (await secretBox.locator("code").textContent())!;
  await page.reload();
  await expect(panel.getByText("No push received yet.")).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);

  // A forge's deliveries (no session): the old secret is refused, the new one recorded.
  const forge = await playwrightRequest.newContext();
  const body = JSON.stringify({
    ref: "refs/heads/main",
    after: "c0ffee".padEnd(40, "0"),
    repository: { clone_url: "https://git.example.com/acme/deploy.git" },
  });
  const deliver = (key: string, delivery: string) =>
    forge.post(url, {
      data: body,
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": delivery,
        "x-hub-signature-256": `sha256=${createHmac("sha256", key).update(body).digest("hex")}`,
      },
    });
  expect((await deliver(first, `old-${stamp}`)).status()).toBe(401);
  const accepted = await deliver(secret, `new-${stamp}`);
  expect(accepted.status(), await accepted.text()).toBe(202);
  expect((await deliver(secret, `new-${stamp}`)).status()).toBe(200);

  // The project page lists the push once, with the agent's outcome (not connected: no agent runs here).
  await page.goto(`/projects/${fullPath}`);
  const pushes = page.getByRole("list", { name: "Recent pushes" });
  await expect(pushes.getByRole("listitem").filter({ hasText: "c0ffee00" })).toHaveCount(1);
  await expect(pushes).toContainText("main");
  await expect(pushes).toContainText(/prod: agent not connected/);

  // A developer sees the webhook's URL, and no way to change it.
  await dev.page.goto(`/projects/${fullPath}/-/settings`);
  const devPanel = dev.page.getByRole("region", { name: "Repository webhook" });
  await expect(devPanel.locator("code", { hasText: url })).toBeVisible();
  await expect(devPanel.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
  await expect(devPanel.getByRole("button", { name: "Delete webhook" })).toHaveCount(0);

  // 390 px: nothing wider than the screen.
  await dev.page.setViewportSize({ width: 390, height: 800 });
  await dev.page.reload();
  await expect(devPanel.locator("code", { hasText: url })).toBeVisible();
  expect(await dev.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Delete after a confirmation: the URL then answers 404.
  await page.goto(`/projects/${fullPath}/-/settings`);
  await panel.getByRole("button", { name: "Delete webhook" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(panel.getByRole("heading", { name: "No repository webhook" })).toBeVisible();
  expect((await deliver(secret, `late-${stamp}`)).status()).toBe(404);
  await forge.dispose();
});
