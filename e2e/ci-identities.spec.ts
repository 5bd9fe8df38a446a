// Trusted CI identities on the project's Settings tab, end to end: a maintainer starts from the empty
// state, gets the server's specific errors beside the fields, trusts GitHub Actions and GitLab CI from the
// presets, removes one after a confirmation; the "Use in CI" snippets carry this installation's URL and
// the project; a developer reads the list but cannot change it; the page fits 390 px.
import { expect, test, type Page } from "./test";
import { newSignedInPage } from "./helpers";

async function post(page: Page, url: string, data: unknown) {
  const res = await page.request.post(url, { data });
  expect(res.status(), `${url}: ${await res.text()}`).toBe(201);
  return res.json() as Promise<Record<string, { id: string; href?: string }>>;
}

test("maintainers trust GitHub Actions and GitLab CI from presets with clear errors; developers only read; the snippets are filled in", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const maint = await newSignedInPage(browser, "cimaint");
  const dev = await newSignedInPage(browser, "cidev");
  const page = maint.page;
  const group = `ci-${stamp}`;
  await post(page, "/api/groups", { name: "CI", path: group });
  await post(page, `/api/groups/${group}/members`, { username: dev.user.username, role: "developer" });
  const shop = (await post(page, "/api/projects", { name: "Shop", path: "shop", namespace: group })).project!;
  await post(page, `/api/projects/${shop.id}/agents`, { name: "prod" });
  const fullPath = `${group}/shop`;

  // From the project's tabs to Settings: nothing trusted yet, the Use in CI snippets say so.
  await page.goto(`/projects/${fullPath}`);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${fullPath}/-/settings$`));
  await expect(page.getByRole("heading", { name: "No trusted CI identities" })).toBeVisible();
  const github = page.getByLabel("GitHub Actions snippet", { exact: true });
  await expect(github).toContainText("id-token: write");
  await expect(github).toContainText(`${baseURL}/api/ci/credentials`);
  await expect(github).toContainText(`"project":"${fullPath}"`);
  await expect(github).toContainText("--fail-with-body");
  const gitlab = page.getByLabel("GitLab CI snippet", { exact: true });
  await expect(gitlab).toContainText(`aud: ${baseURL}`);
  await expect(page.getByLabel("Other CI systems (API token) snippet", { exact: true })).toContainText(
    `${baseURL}/api/projects/${shop.id}/ci-job-tokens`,
  );

  // The GitHub Actions preset is filled in; a plain-HTTP issuer is refused beside the field.
  const form = page.getByRole("form", { name: "Trust a CI identity" });
  const issuer = form.getByLabel("Issuer URL");
  await expect(issuer).toHaveValue("https://token.actions.githubusercontent.com");
  await expect(form.getByLabel("Audience")).toHaveValue(baseURL!);
  await issuer.fill("http://token.actions.githubusercontent.com");
  await form.getByRole("button", { name: "Trust this identity" }).click();
  await expect(issuer).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("The issuer must be an https:// URL")).toBeVisible();
  await issuer.fill("https://token.actions.githubusercontent.com");

  // Conditions: a line without "=", then none at all, then the real ones.
  const conditions = form.getByLabel("Claim conditions");
  await conditions.fill("repository acme/shop");
  await form.getByRole("button", { name: "Trust this identity" }).click();
  await expect(form.getByText("Line 1: write each condition as claim = value")).toBeVisible();
  await conditions.fill("");
  await form.getByRole("button", { name: "Trust this identity" }).click();
  await expect(form.getByText(/Add at least one claim condition/)).toBeVisible();
  await conditions.fill("repository = acme/shop\nref = refs/heads/main");
  await form.getByRole("button", { name: "Trust this identity" }).click();
  await expect(form.getByRole("status")).toHaveText("Trusted “GitHub Actions deploys”.");
  const list = page.getByRole("list", { name: "Trusted CI identities" });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText("repository = acme/shop, ref = refs/heads/main");

  // The same name again is a conflict named on the field; the GitLab preset from the keyboard.
  await form.getByRole("button", { name: "Trust this identity" }).click();
  await expect(
    form.getByText('This project already trusts a CI identity named "GitHub Actions deploys"'),
  ).toBeVisible();
  await form.getByLabel("GitLab CI").focus();
  await page.keyboard.press("Space");
  await expect(form.getByLabel("Issuer URL")).toHaveValue("https://gitlab.com");
  await expect(form.getByLabel("Claim conditions")).toHaveValue("project_path = acme/shop\nref_protected = true");
  await form.getByRole("button", { name: "Trust this identity" }).focus();
  await page.keyboard.press("Enter");
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await expect(list).toContainText("https://gitlab.com");

  // Removing asks first.
  await list.getByRole("button", { name: "Remove GitHub Actions deploys" }).click();
  const dialog = page.getByRole("dialog", { name: "Stop trusting “GitHub Actions deploys”?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).not.toContainText("GitHub Actions deploys");

  // The developer reads the list; no form, no Remove.
  await dev.page.goto(`/projects/${fullPath}/-/settings`);
  const devList = dev.page.getByRole("list", { name: "Trusted CI identities" });
  await expect(devList).toContainText("GitLab CI deploys");
  await expect(dev.page.getByRole("form", { name: "Trust a CI identity" })).toHaveCount(0);
  await expect(devList.getByRole("button")).toHaveCount(0);

  // The agent's Connect tab has the same snippets, with the agent's context.
  await page.goto(`/projects/${fullPath}/-/clusters/prod/connect`);
  await expect(page.getByRole("heading", { name: "Use in CI" })).toBeVisible();
  await expect(page.getByLabel("GitLab CI snippet", { exact: true })).toContainText(
    `kubectl --context '${fullPath}:prod'`,
  );

  // 390 px wide: nothing but the code blocks scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/projects/${fullPath}/-/settings`);
  await expect(page.getByRole("heading", { name: "Trusted CI identities" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
