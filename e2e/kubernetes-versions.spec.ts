import { expect, test } from "@playwright/test";
import { signUpAs, newUser } from "./helpers";

const expected = [
  { minor: "1.33", status: "Supported", condition: "Support ends with release 19.2 or when 1.36 becomes supported" },
  { minor: "1.32", status: "Supported", condition: "Support ends with release 18.10 or when 1.35 becomes supported" },
  { minor: "1.31", status: "Support ending", condition: "Support ends with release 18.7 or when 1.34 becomes supported" },
];

test("signed out, the page shows the matrix, the policy and no untested claims", async ({ page }) => {
  const res = await page.goto("/kubernetes-versions");
  expect(res?.status()).toBe(200);
  await expect(page).toHaveURL(/\/kubernetes-versions$/);
  await expect(page).toHaveTitle("Kubernetes versions · Tether");
  await expect(page.getByRole("heading", { level: 1, name: "Kubernetes versions" })).toBeVisible();

  const table = page.getByRole("table", { name: /Kubernetes versions, their support status/ });
  await expect(table.getByRole("columnheader")).toHaveText(["Kubernetes version", "Status", "End of support", "CI smoke test"]);
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(expected.length);
  for (const [i, e] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole("rowheader")).toHaveText(e.minor);
    const cells = row.getByRole("cell");
    await expect(cells.nth(0)).toHaveText(new RegExp(`${e.status}$`));
    await expect(cells.nth(1)).toHaveText(e.condition);
    // The results file starts empty: nothing may claim to have been tested.
    await expect(cells.nth(2)).toHaveText("Not tested yet");
  }
  await expect(table.getByText(/Passed|Failed/)).toHaveCount(0);

  await expect(page.getByRole("heading", { name: "Support policy" })).toBeVisible();
  await expect(page.getByText("within 3 months of its first release")).toBeVisible();
  await expect(page.getByText("at least 3 production-ready minor versions")).toBeVisible();
  await expect(page.getByRole("link", { name: "Helm's version skew policy" })).toHaveAttribute("href", "https://helm.sh/docs/topics/version_skew/");

  // Signed out: no user menu, no clusters, a way to sign in that comes back here.
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  const signIn = page.getByRole("main").getByRole("link", { name: "Sign in" });
  await expect(signIn).toHaveAttribute("href", "/sign-in?callbackUrl=%2Fkubernetes-versions");
});

test("the page is reachable and usable with the keyboard", async ({ page }) => {
  await page.goto("/kubernetes-versions");
  // The first Tab reaches the skip link, which moves focus into the page's main content.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // Tab from the main content reaches its links in order: sign in, then Helm's policy.
  const focused: string[] = [];
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press("Tab");
    focused.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ""));
  }
  expect(focused).toEqual(["Sign in", "Helm's version skew policy"]);

  // The side navigation's entry for this page is in the tab order too, and marked as the current page.
  await page.goto("/kubernetes-versions");
  const nav = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Kubernetes versions" });
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await nav.evaluate((el) => el === document.activeElement);
  }
  expect(reached).toBe(true);
  await expect(nav).toHaveAttribute("aria-current", "page");
});

test("signed in, the page shows the app shell and an empty clusters section", async ({ page }) => {
  const user = newUser("versions");
  await signUpAs(page, user);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Kubernetes versions" }).click();
  await expect(page).toHaveURL(/\/kubernetes-versions$/);
  await expect(page.getByTestId("current-user")).toHaveText(user.name);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Kubernetes versions" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table", { name: /Kubernetes versions, their support status/ }).locator("tbody tr")).toHaveCount(3);
  await expect(page.getByRole("heading", { name: "No clusters connected yet" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveCount(0);
});
