import { expect, test } from "./test";
import { rememberFirstAdmin, submitSignUp } from "./helpers";

const stamp = Date.now().toString(36);
const user = {
  name: "Ada Lovelace",
  username: `ada-${stamp}`,
  email: `ada-${stamp}@example.com`,
  password: "analytical engine 1843",
};

test.describe.configure({ mode: "serial" });

test("sign up, see the empty state, sign out, sign in again", async ({ page }) => {
  // A fresh installation says that the first account administers it.
  await page.goto("/sign-up");
  await expect(
    page.getByText("This installation has no account yet: the first one becomes its administrator."),
  ).toBeVisible();
  await submitSignUp(page, user);
  // The installation's first requests (hashing, the first sign-in) can take a while on a loaded machine.
  await expect(page).toHaveURL(/\/projects$/, { timeout: 30_000 });
  rememberFirstAdmin(user);
  await expect(page.getByTestId("current-user")).toHaveText(user.name);
  await expect(page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
    "Projects",
    "Groups",
    "Kubernetes versions",
    "Admin",
  ]);

  // Sign out with the keyboard: open the user menu, the first item takes focus.
  await page.getByTestId("current-user").click();
  await page.getByRole("menuitem", { name: "Sign out" }).press("Enter");
  await expect(page).toHaveURL(/\/sign-in/);
  // A deep link while signed out leads to sign-in and back to the same page.
  await page.goto("/groups");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fgroups$/);

  await page.getByLabel("E-mail", { exact: true }).fill(user.email.toUpperCase());
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(page.getByTestId("current-user")).toHaveText(user.name);
  await expect(page.getByRole("heading", { name: "You are not in any group yet" })).toBeVisible();
  await page.getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
});

test("once there is an administrator, the sign-up card no longer says the first account becomes one", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await expect(page.getByText("Create an account on this installation.")).toBeVisible();
  await expect(page.getByText(/becomes (its|the) administrator/)).toHaveCount(0);
});

test("a wrong password gets a clear error and no session", async ({ page, context }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid e-mail or password." })).toBeVisible();
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(false);
  await page.goto("/projects");
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/projects")).status()).toBe(401);
});

test("every sign-up problem is shown at once, each beside its field, and focus goes to the first", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Username", { exact: true }).fill("-bad");
  await page.getByLabel("E-mail", { exact: true }).fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#name-error")).toHaveText("Enter your name");
  await expect(page.locator("#username-error")).toHaveText(
    "Username may contain only letters, digits, '_', '.' and '-', and must start with a letter or digit",
  );
  await expect(page.locator("#email-error")).toHaveText("Enter a valid e-mail address");
  await expect(page.locator("#password-error")).toHaveText("Password must be at least 8 characters");
  for (const label of ["Name", "Username", "E-mail", "Password"])
    await expect(page.getByLabel(label, { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("sign-up-problems")).toHaveText(/^4 problems: Enter your name\./);
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  // Fixing two leaves exactly the other two.
  await page.getByLabel("Name", { exact: true }).fill("Bea");
  await page.getByLabel("Password", { exact: true }).fill("long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#name-error")).toHaveCount(0);
  await expect(page.locator("#password-error")).toHaveCount(0);
  await expect(page.locator("#username-error")).toBeVisible();
  await expect(page.locator("#email-error")).toBeVisible();
  await expect(page.getByLabel("Username", { exact: true })).toBeFocused();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("a duplicate e-mail gets a clear error and creates nothing", async ({ page }) => {
  await submitSignUp(page, { ...user, username: `other-${stamp}` });
  await expect(page.locator("#email-error")).toHaveText("An account with that e-mail address already exists");
  await expect(page.getByLabel("E-mail", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("sign-up rejects an invalid e-mail, a short password and a 10 MB body, writing nothing", async ({
  page,
  request,
}) => {
  await submitSignUp(page, { ...user, username: `bad-${stamp}`, email: "not-an-email" });
  await expect(page.locator("#email-error")).toHaveText("Enter a valid e-mail address");

  const short = await request.post("/api/users", {
    data: { name: "B", username: `b-${stamp}`, email: `b-${stamp}@example.com`, password: "short" },
  });
  expect(short.status()).toBe(400);
  expect(await short.json()).toEqual({
    error: "Password must be at least 8 characters",
    field: "password",
    fields: { password: "Password must be at least 8 characters" },
  });
  // Every field at fault at once, from the server's answer too.
  const many = await request.post("/api/users", { data: { name: "", username: "-", email: "x", password: "" } });
  expect(many.status()).toBe(400);
  expect(Object.keys(((await many.json()) as { fields: object }).fields)).toEqual([
    "name",
    "username",
    "email",
    "password",
  ]);

  const huge = await request.post("/api/users", {
    headers: { "content-type": "application/json" },
    data: JSON.stringify({
      name: "x".repeat(10 * 1024 * 1024),
      username: `c-${stamp}`,
      email: `c-${stamp}@example.com`,
      password: "long enough",
    }),
  });
  expect(huge.status()).toBe(413);
  expect(await huge.json()).toEqual({ error: "Request body is too large (limit 16 KiB)" });

  // None of the rejected sign-ups exists: signing in as any of them fails.
  for (const email of [`b-${stamp}@example.com`, `c-${stamp}@example.com`]) {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("long enough");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Invalid e-mail or password." })).toBeVisible();
  }
});
