import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpAs, newUser } from "./helpers";

// The committed results of `npm run test:versions`: the page must show exactly these, and nothing more.
interface SmokeResult {
  kubernetesVersion: string;
  result: "pass" | "fail";
  date: string;
  commit: string;
}
const results = (
  JSON.parse(fs.readFileSync(path.join(__dirname, "..", "lib", "versions", "smoke-results.json"), "utf8")) as {
    results: SmokeResult[];
  }
).results;

/** The latest result for a minor version, as the CI smoke test cell must read; null when untested. */
function smokeCellText(minor: string): string | null {
  const latest = results
    .filter((r) => r.kubernetesVersion.startsWith(`${minor}.`))
    .sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0];
  if (!latest) return null;
  return `${latest.result === "pass" ? "✓ Passed" : "✕ Failed"} on ${latest.kubernetesVersion}, ${new Date(latest.date).toISOString().slice(0, 10)} (commit ${latest.commit.slice(0, 9)})`;
}

const expected = [
  { minor: "1.33", status: "Supported", condition: "Support ends with release 19.2 or when 1.36 becomes supported" },
  { minor: "1.32", status: "Supported", condition: "Support ends with release 18.10 or when 1.35 becomes supported" },
  {
    minor: "1.31",
    status: "Support ending",
    condition: "Support ends with release 18.7 or when 1.34 becomes supported",
  },
];

test("signed out, the page shows the matrix, the policy, the committed smoke results and no untested claims", async ({
  page,
}) => {
  const res = await page.goto("/kubernetes-versions");
  expect(res?.status()).toBe(200);
  await expect(page).toHaveURL(/\/kubernetes-versions$/);
  await expect(page).toHaveTitle("Kubernetes versions · Tether");
  await expect(page.getByRole("heading", { level: 1, name: "Kubernetes versions" })).toBeVisible();

  const table = page.getByRole("table", { name: /Kubernetes versions, their support status/ });
  await expect(table.getByRole("columnheader")).toHaveText([
    "Kubernetes version",
    "Status",
    "End of support",
    "CI smoke test",
  ]);
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(expected.length);
  for (const [i, e] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole("rowheader")).toHaveText(e.minor);
    const cells = row.getByRole("cell");
    await expect(cells.nth(0)).toHaveText(new RegExp(`${e.status}$`));
    await expect(cells.nth(1)).toHaveText(e.condition);
    // Exactly the committed result for this minor, or "Not tested yet": never a claim without a run.
    await expect(cells.nth(2)).toHaveText(smokeCellText(e.minor) ?? "Not tested yet");
    const tested = results.find((r) => r.kubernetesVersion.startsWith(`${e.minor}.`));
    if (tested) await expect(cells.nth(2).locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
  }
  const testedMinors = new Set(results.map((r) => r.kubernetesVersion.split(".").slice(0, 2).join(".")));
  await expect(table.getByText(/Passed|Failed/)).toHaveCount(
    [...testedMinors].filter((m) => expected.some((e) => e.minor === m)).length,
  );

  await expect(page.getByRole("heading", { name: "Support policy" })).toBeVisible();
  await expect(page.getByText("within 3 months of its first release")).toBeVisible();
  await expect(page.getByText("at least 3 production-ready minor versions")).toBeVisible();
  await expect(page.getByRole("link", { name: "Helm's version skew policy" })).toHaveAttribute(
    "href",
    "https://helm.sh/docs/topics/version_skew/",
  );

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
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Kubernetes versions" }),
  ).toHaveAttribute("aria-current", "page");
  await expect(
    page.getByRole("table", { name: /Kubernetes versions, their support status/ }).locator("tbody tr"),
  ).toHaveCount(3);
  await expect(page.getByRole("heading", { name: "No clusters connected yet" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveCount(0);
});
