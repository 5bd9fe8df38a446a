import fs from "node:fs";
import path from "node:path";
import { expect, type Browser, type BrowserContext, type Locator, type Page } from "./test";
import { TETHER_SECRET_SHAPE } from "../scripts/log-scan";
import { e2eServer } from "./product-server";

/** The one resource security.spec.ts makes a page load against its CSP, to see the violation reported and logged. */
export const DELIBERATE_VIOLATION_HOST = "deliberate-violation.invalid";
export const DELIBERATE_VIOLATION = `http://${DELIBERATE_VIOLATION_HOST}/pixel.png`;

/** Notes a secret a spec saw minted (log-scan.spec.ts checks that no log line of the run holds it). */
export function recordMintedSecret(secret: string): void {
  fs.mkdirSync(path.dirname(e2eServer.mintedSecretsFile), { recursive: true });
  fs.appendFileSync(e2eServer.mintedSecretsFile, `${secret}\n`, { mode: 0o600 });
}

const watched = new WeakSet<BrowserContext>();

/**
 * Records every Tether secret that reaches `context` in a JSON answer (tokens are shown once, from the
 * answer that minted them) and its session cookie, for log-scan.spec.ts.
 */
export function watchForSecrets(context: BrowserContext): void {
  if (watched.has(context)) return;
  watched.add(context);
  context.on("response", (res) => {
    if (!(res.headers()["content-type"] ?? "").startsWith("application/json")) return;
    res
      .text()
      .then((body) => {
        for (const m of body.matchAll(TETHER_SECRET_SHAPE)) recordMintedSecret(m[0]);
      })
      .catch(() => undefined);
  });
}

/** Records the session cookie `context` holds now. */
export async function recordSessionCookie(context: BrowserContext): Promise<void> {
  for (const c of await context.cookies()) if (c.name.includes("session-token")) recordMintedSecret(c.value);
}

export interface TestUser {
  name: string;
  username: string;
  email: string;
  password: string;
}

export function newUser(prefix: string): TestUser {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    name: `${prefix[0]!.toUpperCase()}${prefix.slice(1)} Tester`,
    username: `${prefix}-${stamp}`,
    email: `${prefix}-${stamp}@example.com`,
    password: "correct horse battery",
  };
}

/** Fills and submits the sign-up form; the caller checks the outcome. */
export async function submitSignUp(page: Page, u: TestUser): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill(u.name);
  await page.getByLabel("Username", { exact: true }).fill(u.username);
  await page.getByLabel("E-mail", { exact: true }).fill(u.email);
  await page.getByLabel("Password", { exact: true }).fill(u.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signUpAs(page: Page, u: TestUser): Promise<void> {
  watchForSecrets(page.context());
  await submitSignUp(page, u);
  await expect(page).toHaveURL(/\/projects$/);
  await recordSessionCookie(page.context());
}

/** A separate browser context (its own cookies) signed up as a new user. */
export async function newSignedInPage(browser: Browser, prefix: string): Promise<{ page: Page; user: TestUser }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = newUser(prefix);
  await signUpAs(page, user);
  return { page, user };
}

export interface ProjectAgent {
  projectId: string;
  agentId: string;
  /** The agent's token, shown once: start an agent process with it. */
  token: string;
  /** The agent page's Cluster tab. */
  clusterUrl: string;
}

/** A project `name` in `namespace` (the user's own by default) with an agent `name` and a token, through the REST API as `page`'s user. */
export async function createProjectAgent(
  page: Page,
  user: TestUser,
  name: string,
  namespace = user.username,
): Promise<ProjectAgent> {
  const post = async <T>(url: string, data: unknown): Promise<T> => {
    const res = await page.request.post(url, { data });
    if (res.status() !== 201) throw new Error(`POST ${url}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const projectId = (await post<{ project: { id: string } }>("/api/projects", { name, path: name, namespace })).project
    .id;
  const agentId = (await post<{ agent: { id: string } }>(`/api/projects/${projectId}/agents`, { name })).agent.id;
  const { token } = await post<{ token: string }>(`/api/agents/${agentId}/tokens`, { name });
  recordMintedSecret(token);
  return { projectId, agentId, token, clusterUrl: `/projects/${namespace}/${name}/-/clusters/${name}/cluster` };
}

/** A new project `project` in `namespace`, then agent `agentName` registered in the wizard, up to the step that shows its token and install commands. */
export async function registerAgentInWizard(
  page: Page,
  namespace: string,
  project: string,
  agentName: string,
): Promise<void> {
  expect(
    (await page.request.post("/api/projects", { data: { name: project, path: project, namespace } })).status(),
  ).toBe(201);
  await page.goto(`/projects/${namespace}/${project}/-/clusters`);
  await page.getByRole("button", { name: "Register an agent" }).click();
  await page.getByLabel("Agent name").fill(agentName);
  await page.getByRole("button", { name: "Register agent" }).click();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: `Token for ${agentName} created` })).toBeVisible();
}

// auth.spec.ts signs up the installation's first account (its administrator) and leaves its credentials
// here, in the run's fresh data directory, for specs that need an administrator.
const FIRST_ADMIN_FILE = path.join(e2eServer.dataDir, "first-admin.e2e.json");

export function rememberFirstAdmin(u: TestUser): void {
  fs.writeFileSync(FIRST_ADMIN_FILE, JSON.stringify(u), { mode: 0o600 });
}

/** A separate browser context signed in as the installation's administrator (auth.spec.ts made it). */
export async function newAdminPage(browser: Browser): Promise<{ page: Page; user: TestUser }> {
  return signedInPageAs(browser, JSON.parse(fs.readFileSync(FIRST_ADMIN_FILE, "utf8")) as TestUser);
}

/** A separate browser context (its own cookies) signed in as an existing `user` through the sign-in form. */
export async function signedInPageAs(browser: Browser, user: TestUser): Promise<{ page: Page; user: TestUser }> {
  const context = await browser.newContext();
  watchForSecrets(context);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("E-mail", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await recordSessionCookie(context);
  return { page, user };
}

/** The cluster view's kind picker (a combobox). */
export function kindPicker(page: Page): Locator {
  return page.getByRole("combobox", { name: "Kind", exact: true });
}

/** The kind picker's list of options (open or not). */
export async function kindOptions(page: Page): Promise<Locator> {
  return page.locator(`[id="${await kindPicker(page).getAttribute("aria-controls")}"]`);
}

/**
 * Picks a kind as a person does: types into the kind picker (`typed`, the label by default), then clicks the
 * option `label` among what is left; the field then shows it.
 */
export async function chooseKind(page: Page, label: string, typed = label): Promise<void> {
  const picker = kindPicker(page);
  await picker.click();
  await picker.fill(typed);
  await (await kindOptions(page)).getByRole("option", { name: label, exact: true }).click();
  await expect(picker).toHaveValue(label);
}
