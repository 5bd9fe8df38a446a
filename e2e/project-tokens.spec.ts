// Project access tokens end to end in the real product: a maintainer makes tokens on the project's Settings
// tab (maintainer role; api, and read_api); a script (plain fetch, no cookie) with the api token registers an
// agent, makes its token and reads the project's audit log, whose rows name the project's bot and the token;
// it cannot see another project of the same person, create a group or mint a token; the read_api token reads
// and is refused on the write with nothing changed; revoked in the browser, it gets 401 with the reason.
// The section works from the keyboard and fits a 390 px screen.
import { expect, test, type Page } from "./test";
import { newSignedInPage } from "./helpers";
import { e2eServer } from "./product-server";

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  challenge: string | null;
}

/** What a script does: fetch with the token in the Authorization header and nothing else. */
async function api(token: string, method: string, path: string, data?: unknown): Promise<ApiAnswer> {
  const res = await fetch(`${e2eServer.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(data === undefined ? {} : { "content-type": "application/json" }),
    },
    body: data === undefined ? undefined : JSON.stringify(data),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    challenge: res.headers.get("www-authenticate"),
  };
}

/** Creates a project token in the Settings tab's form with this role and exactly these scopes; answers the value shown once. */
async function createToken(page: Page, name: string, role: string, scopes: string[]): Promise<string> {
  const form = page.getByRole("form", { name: "Create a project access token" });
  await form.getByLabel("Token name").fill(name);
  await form.getByLabel("Role").selectOption(role);
  for (const scope of ["api", "read_api", "k8s_proxy"]) {
    await form.getByRole("checkbox", { name: scope, exact: true }).setChecked(scopes.includes(scope));
  }
  await form.getByRole("button", { name: "Create project access token" }).click();
  await expect(page.getByRole("heading", { name: `Project access token ${name} created` })).toBeFocused();
  const token = await page.getByLabel("Project access token", { exact: true }).inputValue();
  expect(token).toMatch(/^tthr_prj_[A-Za-z0-9_-]{43}$/);
  // From the keyboard: the heading has focus; Tab reaches the copy button, then "I have copied the token".
  await page.getByRole("button", { name: "I have copied the token" }).focus();
  await page.keyboard.press("Enter");
  await expect(form.getByLabel("Token name")).toHaveValue("");
  return token;
}

test("a script with a project access token registers an agent, makes its token and reads the audit log; read_api is refused on the write; no other project", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { page, user } = await newSignedInPage(browser, "ptok");
  const makeProject = async (name: string, path: string) => {
    const res = await page.request.post("/api/projects", { data: { name, path, namespace: user.username } });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { project: { id: string } }).project.id;
  };
  const projectId = await makeProject("Shop", "shop");
  const otherId = await makeProject("Other", "other");

  await page.goto(`/projects/${user.username}/shop/-/settings`);
  const section = page.getByRole("region", { name: "Project access tokens" });
  await expect(section.getByRole("heading", { name: "Project access tokens", exact: true, level: 2 })).toBeVisible();
  await expect(section.getByText("No project access tokens")).toBeVisible();
  // Bad input says what is wrong and makes nothing.
  const form = page.getByRole("form", { name: "Create a project access token" });
  await form.getByLabel("Token name").fill("too long");
  await form.getByLabel("Expires after (days)").fill("400");
  await form.getByRole("button", { name: "Create project access token" }).click();
  await expect(form.getByText("A project access token can live at most 365 days")).toBeVisible();
  await form.getByLabel("Expires after (days)").fill("30");

  const writer = await createToken(page, "deploy script", "maintainer", ["api"]);
  const reader = await createToken(page, "dashboard", "maintainer", ["read_api"]);
  const rowOf = (name: string) =>
    section.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${name}`) }) });
  await expect(rowOf("deploy script")).toContainText("maintainer");
  await expect(rowOf("deploy script")).toContainText(user.username);
  await expect(rowOf("deploy script")).toContainText("Never used");
  await expect(rowOf("dashboard")).toContainText("read_api");

  // The api token: an agent, the agent's token, then the audit log, through the REST API.
  const agent = await api(writer, "POST", `/api/projects/${projectId}/agents`, { name: "prod" });
  expect(agent.status).toBe(201);
  const agentId = (agent.body.agent as { id: string }).id;
  const agentToken = await api(writer, "POST", `/api/agents/${agentId}/tokens`, { name: "cluster-1" });
  expect(agentToken.status).toBe(201);
  expect(agentToken.body.token).toMatch(/^tthr_agent_/);
  const audit = await api(writer, "GET", `/api/projects/${projectId}/audit`);
  expect(audit.status).toBe(200);
  const rows = audit.body.rows as { action: string; actor: string; details: { label: string; value: string }[] }[];
  const byScript = rows.filter((r) => r.action === "agent.registered" || r.action === "agent_token.created");
  expect(byScript).toHaveLength(2);
  for (const r of byScript) {
    expect(r.actor).toMatch(new RegExp(`^@project_${projectId}_bot_[0-9a-f]{8}$`));
    expect(r.details).toContainEqual({ label: "With API token", value: "deploy script" });
  }
  expect(rows.map((r) => r.action)).toContain("project_token.created");

  // Its project only: the same person's other project is a stranger's, and it owns nothing else.
  expect((await api(writer, "GET", `/api/projects/${otherId}/audit`)).status).toBe(404);
  expect((await api(writer, "POST", `/api/projects/${otherId}/agents`, { name: "x" })).status).toBe(404);
  expect(((await api(writer, "GET", "/api/projects")).body.projects as { id: string }[]).map((p) => p.id)).toEqual([
    projectId,
  ]);
  const group = await api(writer, "POST", "/api/groups", { name: "Mine", path: `mine-${Date.now().toString(36)}` });
  expect(group.status).toBe(403);
  const minted = await api(writer, "POST", `/api/projects/${projectId}/access-tokens`, {
    name: "more",
    role: "maintainer",
    scopes: ["api"],
    expiresInDays: 1,
  });
  expect(minted.status).toBe(403);
  expect(minted.body.error).toMatch(/needs a browser session/);

  // The read_api token reads, and the write is refused naming the api scope, changing nothing.
  const listed = await api(reader, "GET", `/api/projects/${projectId}/agents`);
  expect(listed.status).toBe(200);
  const refused = await api(reader, "POST", `/api/projects/${projectId}/agents`, { name: "staging" });
  expect(refused).toEqual({
    status: 403,
    body: { error: "This token needs the api scope for POST requests (it has: read_api)" },
    challenge: `Bearer error="insufficient_scope", scope="api"`,
  });
  const agents = await api(reader, "GET", `/api/projects/${projectId}/agents`);
  expect((agents.body.agents as { name: string }[]).map((a) => a.name)).toEqual(["prod"]);
  expect((await api(reader, "GET", `/api/projects/${otherId}/agents`)).status).toBe(404);

  // The list shows the use; revoked in the browser (from the keyboard), the script is refused with the reason.
  await page.reload();
  await expect(rowOf("deploy script")).toContainText("Active");
  await expect(rowOf("deploy script")).not.toContainText("Never used");
  await rowOf("dashboard").getByRole("button", { name: "Revoke token dashboard" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: 'Revoke token "dashboard"?' });
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(rowOf("dashboard")).toContainText(`Revoked by ${user.username}`);
  const afterRevoke = await api(reader, "GET", `/api/projects/${projectId}/agents`);
  expect(afterRevoke).toEqual({
    status: 401,
    body: { error: "This project access token (dashboard) was revoked" },
    challenge: `Bearer error="invalid_token"`,
  });

  // At 390 px the section fits: the table scrolls inside its own box.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(rowOf("deploy script")).toBeVisible();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  // The page polls every 30 s: closed, so later specs do not share the machine with it.
  await page.context().close();
});
