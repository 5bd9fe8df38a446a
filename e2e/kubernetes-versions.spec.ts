import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./test";
import { policyTable, supportedMinorsAt } from "../lib/versions/rules";
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

const today = new Date().toISOString().slice(0, 10);
/** What the rules say for today: the rows the page must show, computed by the same pure function. */
const todayRows = policyTable(today);

const table = (page: Page) => page.getByRole("table", { name: /Kubernetes versions: state under the support policy/ });

test("signed out, the page shows today's matrix from the rules, the committed smoke results and no untested claims", async ({
  page,
}) => {
  const res = await page.goto("/kubernetes-versions");
  expect(res?.status()).toBe(200);
  await expect(page).toHaveURL(/\/kubernetes-versions$/);
  await expect(page).toHaveTitle("Kubernetes versions · Tether");
  await expect(page.getByRole("heading", { level: 1, name: "Kubernetes versions" })).toBeVisible();

  await expect(table(page).getByRole("columnheader")).toHaveText([
    "Kubernetes version",
    "State",
    "Released",
    "CI smoke test",
    "Support",
    "Helm",
  ]);
  const rows = table(page).locator("tbody tr");
  await expect(rows).toHaveCount(todayRows.length);
  for (const [i, e] of todayRows.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole("rowheader")).toContainText(e.minor);
    await expect(row).toHaveAttribute("data-state", e.state);
    const cells = row.getByRole("cell");
    await expect(cells.nth(2)).toHaveText(smokeCellText(e.minor) ?? "Not tested yet");
    await expect(cells.nth(3)).toHaveText(e.condition);
  }
  // Every minor the page calls supported has a passing smoke result committed in the repository.
  const supportedToday = todayRows.filter((r) => r.state === "supported" || r.state === "ending");
  expect(supportedToday.length).toBeGreaterThanOrEqual(3);
  for (const r of supportedToday) {
    expect(
      results.some((x) => x.result === "pass" && x.kubernetesVersion.startsWith(`${r.minor}.`)),
      r.minor,
    ).toBe(true);
    await expect(
      rows.filter({ has: page.getByRole("rowheader", { name: r.minor }) }).getByText("✓ Passed"),
    ).toBeVisible();
  }
  await expect(page.getByTestId("supported-minors").getByRole("listitem")).toHaveCount(supportedToday.length);

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

test("a date in mid-2025 reproduces the table the policy started with", async ({ page }) => {
  await page.goto("/kubernetes-versions");
  await page.getByLabel("As of").fill("2025-07-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/kubernetes-versions\?date=2025-07-01$/);
  await expect(page.getByRole("heading", { name: /Version matrix as of \(2025-07-01\)/ })).toBeVisible();
  const rows = table(page).locator("tbody tr");
  const expected = [
    ["1.33", "Supported", "2025-04-23", "Support ends with release 19.2 (2026-07-16) or when 1.36 becomes supported"],
    ["1.32", "Supported", "2024-12-11", "Support ends with release 18.10 (2026-03-19) or when 1.35 becomes supported"],
    [
      "1.31",
      "Support ending",
      "2024-08-13",
      "Support ends with release 18.7 (2025-12-18) or when 1.34 becomes supported",
    ],
    ["1.30", "No longer supported", "2024-04-17", "No longer supported"],
  ];
  await expect(rows).toHaveCount(expected.length);
  for (const [i, [minor, state, released, condition]] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole("rowheader")).toHaveText(minor!);
    const cells = row.getByRole("cell");
    await expect(cells.nth(0)).toHaveText(new RegExp(`${state}$`));
    await expect(cells.nth(1)).toHaveText(released!);
    // Our smoke records begin in November 2026: as of mid-2025 there is none, and the page claims none.
    await expect(cells.nth(2)).toHaveText("Not tested yet");
    await expect(cells.nth(3)).toHaveText(condition!);
  }
  await page.getByRole("link", { name: "Back to today" }).click();
  await expect(page).toHaveURL(/\/kubernetes-versions$/);
});

test("a malformed date says so and shows today; the JSON route refuses it with 400", async ({ page, request }) => {
  await page.goto("/kubernetes-versions?date=2025-13-45");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    '"2025-13-45" is not a date like 2026-11-30. Showing today instead.',
  );
  await expect(table(page).locator("tbody tr")).toHaveCount(todayRows.length);
  const bad = await request.get("/kubernetes-versions.json?date=yesterday");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({ error: '"yesterday" is not a date like 2026-11-30.' });
});

test("/kubernetes-versions.json gives the same rows as data", async ({ request }) => {
  const res = await request.get("/kubernetes-versions.json");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { date: string; supported: string[]; minors: { minor: string; state: string }[] };
  expect(body.date).toBe(today);
  expect(body.minors.map((m) => [m.minor, m.state])).toEqual(todayRows.map((r) => [r.minor, r.state]));
  expect(body.supported).toEqual(supportedMinorsAt(today).map((m) => m.minor));
  const start = (await (await request.get("/kubernetes-versions.json?date=2025-07-01")).json()) as {
    supported: string[];
  };
  expect(start.supported).toEqual(["1.33", "1.32", "1.31"]);
});

test("the page is reachable and usable with the keyboard", async ({ page }) => {
  await page.goto("/kubernetes-versions");
  // The first Tab reaches the skip link, which moves focus into the page's main content.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // Tab from the main content reaches the date form, then its links in order: JSON, sign in, Helm's policy.
  const focused: string[] = [];
  for (let i = 0; i < 12 && !focused.includes("Helm's version skew policy"); i++) {
    await page.keyboard.press("Tab");
    // Links and buttons only: the date field's parts and the scrollable table (focusable so it can be
    // scrolled from the keyboard) are reached too, in between.
    const text = await page.evaluate(() => {
      const el = document.activeElement;
      return el && ["A", "BUTTON"].includes(el.tagName) ? (el.textContent?.trim() ?? "") : "";
    });
    if (text) focused.push(text);
  }
  expect(focused).toEqual(["Show", "As JSON", "Sign in", "Helm's version skew policy"]);

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
  await expect(table(page).locator("tbody tr")).toHaveCount(todayRows.length);
  await expect(page.getByRole("heading", { name: "No clusters connected yet" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveCount(0);
});
