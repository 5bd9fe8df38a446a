// The browser-facing defences, tried as an attacker's page or script would: security headers on pages
// and API answers, cookie-authenticated writes from another origin, JSON smuggled in as text/plain, no
// Content-Security-Policy violation on the main pages (the CSP must not break the product), password
// guessing against the sign-in form, and sessions that end everywhere when they must.
import fs from "node:fs";
import { expect, test, type Browser, type Page } from "./test";
import {
  createProjectAgent,
  DELIBERATE_VIOLATION,
  DELIBERATE_VIOLATION_HOST,
  newAdminPage,
  newSignedInPage,
  newUser,
  type TestUser,
} from "./helpers";
import { e2eServer } from "./product-server";

test.describe.configure({ mode: "serial" });

function expectSecurityHeaders(headers: Record<string, string>): void {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  // The tests run over plain HTTP: HSTS there would be ignored by browsers and wrong to send.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

test("pages and API answers carry the security headers; a page's CSP has a fresh nonce and no eval", async ({
  page,
  request,
}) => {
  const first = await request.get("/sign-in");
  expectSecurityHeaders(first.headers());
  const policy = first.headers()["content-security-policy"]!;
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).not.toContain("unsafe-eval");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // Next.js put the nonce on its scripts; the next request gets another one.
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  const second = await request.get("/sign-in");
  expect(second.headers()["content-security-policy"]).not.toContain(nonce);

  const api = await request.get("/api/projects");
  expect(api.status()).toBe(401);
  expectSecurityHeaders(api.headers());
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");

  // Static files too, though proxy.ts does not run for them.
  const favicon = await page.request.get("/favicon.svg");
  expect(favicon.headers()["x-content-type-options"]).toBe("nosniff");
});

test("a cookie-authenticated write from another origin is refused with 403; the same write from Tether's page works", async ({
  browser,
}) => {
  const { page, user } = await newSignedInPage(browser, "csrf");
  const body = (path: string) => ({ name: path, path, namespace: user.username });

  const crossSite = await page.request.post("/api/projects", {
    headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    data: body("cross-site"),
  });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error).toMatch(/Cross-origin request refused/);
  // A browser without fetch metadata still sends Origin.
  const originOnly = await page.request.post("/api/projects", {
    headers: { origin: "http://evil.example" },
    data: body("origin-only"),
  });
  expect(originOnly.status()).toBe(403);
  const del = await page.request.delete("/api/user/tokens/x", { headers: { "sec-fetch-site": "same-site" } });
  expect(del.status()).toBe(403);

  // From the app's own page, the browser says same-origin by itself.
  const sameOrigin = await page.evaluate(async (data) => {
    const res = await fetch("/api/projects", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(data),
    });
    return res.status;
  }, body("same-origin"));
  expect(sameOrigin).toBe(201);
  const list = await page.request.get("/api/projects");
  const paths = ((await list.json()) as { projects: { name: string }[] }).projects.map((p) => p.name);
  expect(paths).toContain("same-origin");
  expect(paths).not.toContain("cross-site");
  expect(paths).not.toContain("origin-only");
});

test("JSON sent as text/plain with a JSON-looking parameter is refused with 415", async ({ browser }) => {
  const { page, user } = await newSignedInPage(browser, "mime");
  const status = await page.evaluate(async (namespace) => {
    const res = await fetch("/api/projects", {
      method: "POST",
      headers: { "content-type": "text/plain; x=application/json" },
      body: JSON.stringify({ name: "smuggled", path: "smuggled", namespace }),
    });
    return res.status;
  }, user.username);
  expect(status).toBe(415);
});

/** Collects CSP violations and console errors of `page` from before its first script. */
async function watchPolicy(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeFunction("reportPolicyViolation", (text: string) => problems.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportPolicyViolation(t: string): void }).reportPolicyViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${location.pathname}`,
      );
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

/** Opens `path` under a nonce policy and lets its scripts run; the live view keeps an event stream open, so the network never idles. */
async function visit(page: Page, path: string): Promise<void> {
  const res = await page.goto(path);
  expect(res?.headers()["content-security-policy"], path).toContain("'nonce-");
  await page.waitForLoadState("load");
  await page.waitForTimeout(300);
}

test("the main pages report no CSP violation, the theme toggle and the live view included", async ({ browser }) => {
  // Eighteen pages and a project with an agent: well over a minute on a loaded machine.
  test.setTimeout(180_000);
  const signedOut = await browser.newPage();
  const outProblems = await watchPolicy(signedOut);
  for (const path of ["/", "/sign-in", "/sign-up", "/forgot-password", "/kubernetes-versions"]) {
    await visit(signedOut, path);
  }
  await signedOut.goto("/sign-in");
  await signedOut.getByRole("radio", { name: "Dark theme" }).check();
  await expect(signedOut.locator("html")).toHaveClass(/dark/);
  await signedOut.getByRole("radio", { name: "Light theme" }).check();
  await expect(signedOut.locator("html")).toHaveClass(/light/);
  expect(outProblems).toEqual([]);

  const { page, user } = await newSignedInPage(browser, "csp");
  const problems = await watchPolicy(page);
  const { clusterUrl } = await createProjectAgent(page, user, "csp");
  const agentBase = clusterUrl.replace(/\/cluster$/, "");
  for (const path of [
    "/projects",
    "/groups",
    "/groups/new",
    "/projects/new",
    "/settings/tokens",
    "/settings/password",
    "/kubernetes-versions",
    clusterUrl,
    agentBase,
    `${agentBase}/tokens`,
    `${agentBase}/configuration`,
    `${agentBase}/sharing`,
    `${agentBase}/connect`,
  ]) {
    await visit(page, path);
  }
  await page.getByRole("radio", { name: "Dark theme" }).check();
  // Client-side navigation loads more chunks under the same policy.
  await page.getByRole("link", { name: "Projects" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  expect(problems).toEqual([]);

  // Browsers report a violation to the server, which logs it without the query string (log-scan.spec.ts
  // then finds no other violation reported during the whole run).
  await page.evaluate((src) => {
    const img = new Image();
    img.src = src;
    document.body.append(img);
  }, `${DELIBERATE_VIOLATION}?probe=${user.username}`);
  await expect
    .poll(() =>
      fs
        .readFileSync(e2eServer.logFile, "utf8")
        .split("\n")
        .filter((l) => l.includes(DELIBERATE_VIOLATION_HOST)),
    )
    .toEqual([expect.stringContaining('"event":"csp_violation"')]);
  const line = fs
    .readFileSync(e2eServer.logFile, "utf8")
    .split("\n")
    .find((l) => l.includes(DELIBERATE_VIOLATION_HOST))!;
  expect(JSON.parse(line)).toMatchObject({
    level: 40,
    directive: "img-src",
    page: expect.stringMatching(/\/projects$/),
  });
  expect(line).not.toContain("probe=");
});

test("the fifth wrong password locks the account: the form says when to retry, and even the right password waits for the lock to end", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = newUser("locked");
  const created = await page.request.post("/api/users", { data: user });
  expect(created.status()).toBe(201);

  const signIn = async (password: string) => {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  const retry = page.getByRole("alert").filter({
    hasText: /^Too many failed sign-in attempts\. Try again in (1 minute|\d+ seconds) \(at \d\d:\d\d:\d\d\)\.$/,
  });
  for (let i = 1; i <= 4; i++) {
    await signIn(`wrong guess ${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid e-mail or password." })).toBeVisible();
  }
  await signIn("wrong guess 5");
  await expect(retry).toBeVisible();
  await signIn("wrong guess 6");
  await expect(retry).toBeVisible();
  await signIn(user.password);
  await expect(retry).toBeVisible();
  expect((await context.cookies()).some((c) => c.name.includes("session-token"))).toBe(false);
  await page.goto("/projects");
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

/** A second browser (its own cookies) signed in as `user` through the sign-in form. */
async function secondBrowser(browser: Browser, user: TestUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  await page.getByLabel("E-mail", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  return page;
}

const apiStatus = async (page: Page) => (await page.request.get("/api/projects")).status();

test("changing the password ends the session in every other browser at once; the browser that changed it stays signed in", async ({
  browser,
}) => {
  const { page, user } = await newSignedInPage(browser, "rotate");
  const other = await secondBrowser(browser, user);
  expect(await apiStatus(other)).toBe(200);

  await page.getByTestId("current-user").click();
  await page.getByRole("menuitem", { name: "Password and sessions" }).click();
  await expect(page).toHaveURL(/\/settings\/password$/);
  await page.getByLabel("Current password").fill("not it");
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#current-password-error")).toHaveText("Your current password is not right");
  expect(await apiStatus(other)).toBe(200);

  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Password changed. Every other browser and device has been signed out.",
  );
  expect(await apiStatus(page)).toBe(200);

  expect(await apiStatus(other)).toBe(401);
  await other.goto("/projects");
  await expect(other).toHaveURL(/\/sign-in/);
  await other.getByLabel("E-mail", { exact: true }).fill(user.email);
  await other.getByLabel("Password", { exact: true }).fill(user.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByRole("alert").filter({ hasText: "Invalid e-mail or password." })).toBeVisible();
  await other.getByLabel("Password", { exact: true }).fill("a brand new password");
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/projects$/);
});

test("sign out everywhere ends this session and every other one", async ({ browser }) => {
  const { page, user } = await newSignedInPage(browser, "everywhere");
  const other = await secondBrowser(browser, user);
  await page.goto("/settings/password");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect(await apiStatus(page)).toBe(401);
  expect(await apiStatus(other)).toBe(401);
});

test("forgot password says that this installation cannot send e-mail and who can help", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByText(/cannot send e-mail \(no SMTP server is configured\)/)).toBeVisible();
  await expect(page.getByText(/Ask an administrator of this installation to set a new password/)).toBeVisible();
});

test("a reset link that no longer works is refused on the reset page, which offers a new one; the page without a link says where links come from", async ({
  page,
}) => {
  await page.goto(`/reset-password?token=tthr_reset_${"x".repeat(43)}`);
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This reset link no longer works" })).toHaveText(
    "This reset link no longer works (it was used, it expired, or it was copied incompletely). Ask for a new one.",
  );
  await expect(page.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
  await page.goto("/reset-password");
  await expect(page.getByRole("alert").filter({ hasText: "no link" })).toContainText(
    "This page opens from the link in a password reset e-mail",
  );
});

test("an administrator blocks a user: their session and sign-in stop at once, audited; unblocking lets them back; the last administrator keeps the role", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page: userPage, user } = await newSignedInPage(browser, "blockme");
  expect(await apiStatus(userPage)).toBe(200);

  const { page: admin, user: adminUser } = await newAdminPage(browser);
  await admin.goto("/admin");
  const row = admin.getByRole("row").filter({ hasText: `@${user.username}` });
  // The user signed in when they signed up; the admin page shows when.
  await expect(row.locator("time").nth(1)).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await row.getByRole("button", { name: "Block", exact: true }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Block", exact: true }).click();
  await expect(row.getByRole("status")).toHaveText(
    `Blocked @${user.username}: their sessions, tokens and kubectl access have stopped.`,
  );
  await expect(row.getByText("Blocked", { exact: true })).toBeVisible();

  expect(await apiStatus(userPage)).toBe(401);
  await userPage.goto("/projects");
  await expect(userPage).toHaveURL(/\/sign-in/);
  await userPage.getByLabel("E-mail", { exact: true }).fill(user.email);
  await userPage.getByLabel("Password", { exact: true }).fill(user.password);
  await userPage.getByRole("button", { name: "Sign in" }).click();
  await expect(
    userPage
      .getByRole("alert")
      .filter({ hasText: "This account is blocked. Ask an administrator of this installation." }),
  ).toBeVisible();

  await row.getByRole("button", { name: "Unblock", exact: true }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Unblock", exact: true }).click();
  await expect(row.getByRole("status")).toHaveText(`Unblocked @${user.username}: they can sign in again.`);
  await userPage.getByLabel("E-mail", { exact: true }).fill(user.email);
  await userPage.getByLabel("Password", { exact: true }).fill(user.password);
  await userPage.getByRole("button", { name: "Sign in" }).click();
  await expect(userPage).toHaveURL(/\/projects$/);

  // The only administrator cannot step down (and is offered no way to block themselves).
  const own = admin.getByRole("row").filter({ hasText: `@${adminUser.username}` });
  await expect(own.getByRole("button", { name: "Block", exact: true })).toHaveCount(0);
  await own.getByRole("button", { name: "Remove admin", exact: true }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByRole("button", { name: "Remove admin", exact: true }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    `@${adminUser.username} is the last administrator: make someone else an administrator first`,
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(await apiStatus(admin)).toBe(200);

  await admin.goto("/admin/audit");
  await expect(
    admin.getByText(`Blocked @${user.username} (sessions, tokens and kubectl access stopped)`, { exact: true }),
  ).toBeVisible();
  await expect(admin.getByText(`Unblocked @${user.username}`, { exact: true })).toBeVisible();
});

test("sign-up under the administrator's control: closed with a single-use invite link, then approval; open again afterwards", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page: admin } = await newAdminPage(browser);
  const setMode = async (label: string, expected: string) => {
    await admin.goto("/admin");
    await admin.getByRole("radio", { name: new RegExp(`^${label}`) }).check();
    await admin.getByRole("button", { name: "Save sign-up setting" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Sign-up is now" })).toHaveText(expected);
  };
  try {
    await setMode("Closed", "Sign-up is now: Closed.");
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto("/sign-up");
    await expect(visitor.getByTestId("sign-up-policy")).toHaveText(
      "Sign-up is closed on this installation. Ask an administrator for an invite link.",
    );
    await expect(visitor.getByRole("button", { name: "Create account" })).toBeDisabled();
    // The API says the same to a script that skips the form.
    const refused = newUser("closed");
    const direct = await visitor.request.post("/api/users", { data: refused });
    expect(direct.status()).toBe(403);
    expect((await direct.json()).error).toBe(
      "Sign-up is closed on this installation. Ask an administrator for an invite link.",
    );

    await admin.getByRole("button", { name: "Create invite link" }).click();
    const link = (await admin.getByTestId("invite-link").textContent())!;
    expect(link).toMatch(/\/sign-up\?invite=tthr_invite_[A-Za-z0-9_-]{43}$/);

    const invited = newUser("invited");
    await visitor.goto(new URL(link).pathname + new URL(link).search);
    await expect(visitor.getByTestId("sign-up-policy")).toHaveText("You were invited: this link creates one account.");
    await visitor.getByLabel("Name", { exact: true }).fill(invited.name);
    await visitor.getByLabel("Username", { exact: true }).fill(invited.username);
    await visitor.getByLabel("E-mail", { exact: true }).fill(invited.email);
    await visitor.getByLabel("Password", { exact: true }).fill(invited.password);
    await visitor.getByRole("button", { name: "Create account" }).click();
    await expect(visitor).toHaveURL(/\/projects$/);

    // The same link a second time.
    const second = await (await browser.newContext()).newPage();
    await second.goto(new URL(link).pathname + new URL(link).search);
    await expect(second.getByTestId("invite-problem")).toHaveText(
      "This invite link was already used: each link creates one account. Ask an administrator for a new one.",
    );
    await expect(second.getByRole("button", { name: "Create account" })).toHaveCount(0);

    await setMode("Approval", "Sign-up is now: Approval.");
    const waiting = newUser("waiting");
    await second.goto("/sign-up");
    await expect(second.getByTestId("sign-up-policy")).toHaveText(
      "An administrator approves each new account before it can sign in.",
    );
    await second.getByLabel("Name", { exact: true }).fill(waiting.name);
    await second.getByLabel("Username", { exact: true }).fill(waiting.username);
    await second.getByLabel("E-mail", { exact: true }).fill(waiting.email);
    await second.getByLabel("Password", { exact: true }).fill(waiting.password);
    await second.getByRole("button", { name: "Create account" }).click();
    await expect(second.getByRole("status").filter({ hasText: "Your account waits" })).toHaveText(
      "Your account waits for an administrator's approval. You can sign in once it is approved.",
    );
    const signIn = async () => {
      await second.goto("/sign-in");
      await second.getByLabel("E-mail", { exact: true }).fill(waiting.email);
      await second.getByLabel("Password", { exact: true }).fill(waiting.password);
      await second.getByRole("button", { name: "Sign in" }).click();
    };
    await signIn();
    await expect(
      second.getByRole("alert").filter({
        hasText: "Your account is waiting for an administrator's approval. Sign in again once it is approved.",
      }),
    ).toBeVisible();

    await admin.goto("/admin");
    const row = admin.getByRole("row").filter({ hasText: `@${waiting.username}` });
    await expect(row.getByText("Waiting for approval")).toBeVisible();
    await row.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(row.getByRole("status")).toHaveText(`Approved @${waiting.username}: they can sign in now.`);
    await signIn();
    await expect(second).toHaveURL(/\/projects$/);
  } finally {
    // The specs after this one sign up freely.
    await setMode("Open", "Sign-up is now: Open.");
  }
});
