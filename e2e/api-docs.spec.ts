// The REST API reference: /api/openapi.json served without sign-in; the /help/api page reached from the
// Access tokens page, grouped by area, filterable, opened with the keyboard; its curl example, run by bash
// with a real read_api token in place of <token>, answers the user's projects; a failing document load
// says so and retries; it fits a 390 px wide screen.
import { execFileSync } from "node:child_process";
import { expect, test } from "./test";
import { newSignedInPage } from "./helpers";
import { e2eServer } from "./product-server";

test("the OpenAPI document is served without sign-in and lists the REST API", async ({ request }) => {
  const res = await request.get("/api/openapi.json");
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.servers[0]?.url).toBe(e2eServer.baseUrl);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/projects", "/api/agents/{id}/tokens"]));
});

test("the API page: from the tokens page, by area, filtered, its curl example works with a real token", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page } = await newSignedInPage(browser, "apidocs");
  await page.goto("/settings/tokens");
  // A read_api token to try the page's example with.
  await page.getByLabel("Token name").fill("docs");
  for (const scope of ["api", "read_api", "k8s_proxy"])
    await page.getByRole("checkbox", { name: scope, exact: true }).setChecked(scope === "read_api");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("Personal access token", { exact: true }).inputValue();
  await page.getByRole("button", { name: "I have copied the token" }).click();

  await page.getByRole("link", { name: "the REST API reference" }).click();
  await expect(page).toHaveURL(/\/help\/api$/);
  await expect(page.getByRole("heading", { name: "REST API", level: 1 })).toBeVisible();
  const areas = page.getByRole("navigation", { name: "API areas" });
  await expect(areas.getByRole("link", { name: /^Projects/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();

  // Filter, then open an operation with the keyboard.
  await page.getByLabel("Filter operations").fill("/api/projects");
  await expect(page.getByRole("heading", { name: "Administration" })).toHaveCount(0);
  const list = page.locator("details", { has: page.locator("summary", { hasText: /GET\s*\/api\/projects\s*List/ }) });
  await list.locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(list.getByText("A browser session, or an API token with the read_api or api scope")).toBeVisible();
  const curl = await list.locator("pre").last().innerText();
  expect(curl).toContain('-H "Authorization: Bearer <token>"');

  // The example as written, with the token in place of <token>, run by bash.
  const out = execFileSync("bash", ["-c", curl.replace("<token>", token)], { encoding: "utf8", timeout: 30_000 });
  expect(JSON.parse(out)).toEqual({ projects: expect.any(Array) });

  // A session-only operation says so and offers no token example.
  await page.getByLabel("Filter operations").fill("POST /api/user/tokens");
  const create = page.locator("details", { has: page.locator("summary", { hasText: "/api/user/tokens" }) }).first();
  await create.locator("summary").click();
  await expect(create.getByText(/A browser session only/).first()).toBeVisible();
  await expect(create.getByText("Only from a signed-in browser")).toBeVisible();

  await page.getByLabel("Filter operations").fill("no-such-operation");
  await expect(page.getByRole("heading", { name: "No operation matches" })).toBeVisible();
});

test("the API page says when the document cannot be loaded, retries, and fits 390 px", async ({ browser }) => {
  const { page } = await newSignedInPage(browser, "apidocs-err");
  await page.setViewportSize({ width: 390, height: 844 });
  let fail = true;
  await page.route("**/api/openapi.json", (route) =>
    fail ? route.fulfill({ status: 503, json: { error: "down for the test" } }) : route.continue(),
  );
  await page.goto("/help/api");
  const alert = page.getByRole("alert").filter({ hasText: "Could not load the API reference" });
  await expect(alert).toContainText("Could not load the API reference");
  await expect(alert).toContainText("down for the test");
  fail = false;
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("navigation", { name: "API areas" })).toBeVisible();
  await page.locator("summary", { hasText: "/api/agents/{id}/config/versions/{version}" }).click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
