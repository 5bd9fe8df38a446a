// API tokens end to end in the real product: a user makes personal access tokens with the api and read_api
// scopes on the Access tokens page; a script (plain fetch, no cookie) with the api token creates a project,
// an agent and the agent's token and reads the project's audit log through the REST API, whose rows name
// the token; the same script with the read_api token reads and is refused on every write; a token cannot
// mint tokens; a revoked token is refused with the reason.
import { expect, test, type Page } from "./test";
import { newSignedInPage, recordMintedSecret } from "./helpers";
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

/** Creates a token on the Access tokens page with exactly these scopes; answers the value shown once. */
async function createToken(page: Page, name: string, scopes: string[]): Promise<string> {
  await page.getByLabel("Token name").fill(name);
  for (const scope of ["api", "read_api", "k8s_proxy"]) {
    await page.getByRole("checkbox", { name: scope, exact: true }).setChecked(scopes.includes(scope));
  }
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: `Token ${name} created` })).toBeFocused();
  const token = await page.getByLabel("Personal access token", { exact: true }).inputValue();
  expect(token).toMatch(/^tthr_pat_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "I have copied the token" }).click();
  return token;
}

test("a script with an api token creates a project, an agent and its token and reads the audit log; a read_api token is refused on writes", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { page, user } = await newSignedInPage(browser, "script");
  await page.goto("/settings/tokens");
  await expect(page.getByRole("heading", { name: "Access tokens", level: 1 })).toBeVisible();
  // Only the narrowest scope is checked at first; each one says what it opens.
  await expect(page.getByRole("checkbox", { name: "k8s_proxy", exact: true })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "api", exact: true })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "read_api", exact: true })).toHaveAccessibleDescription(
    /Only read through Tether's REST API/,
  );

  const writer = await createToken(page, "deploy script", ["api"]);
  const reader = await createToken(page, "dashboard", ["read_api"]);
  const rowOf = (name: string) =>
    page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  await expect(rowOf("deploy script")).toContainText("api");
  await expect(rowOf("dashboard")).toContainText("read_api");
  await expect(rowOf("deploy script")).toContainText("Never used");

  // The api token: a project, an agent, the agent's token, then the audit log, through the REST API.
  const project = await api(writer, "POST", "/api/projects", { name: "Shop", path: "shop", namespace: user.username });
  expect(project.status).toBe(201);
  const projectId = (project.body.project as { id: string }).id;
  const agent = await api(writer, "POST", `/api/projects/${projectId}/agents`, { name: "prod" });
  expect(agent.status).toBe(201);
  const agentId = (agent.body.agent as { id: string }).id;
  const agentToken = await api(writer, "POST", `/api/agents/${agentId}/tokens`, { name: "cluster-1" });
  expect(agentToken.status).toBe(201);
  expect(agentToken.body.token).toMatch(/^tthr_agent_/);
  recordMintedSecret(agentToken.body.token as string);

  const audit = await api(writer, "GET", `/api/projects/${projectId}/audit`);
  expect(audit.status).toBe(200);
  const rows = audit.body.rows as { action: string; actor: string; details: { label: string; value: string }[] }[];
  expect(rows.map((r) => r.action)).toEqual(
    expect.arrayContaining(["agent_token.created", "agent.registered", "project.created"]),
  );
  for (const r of rows) {
    expect(r.actor).toBe(`@${user.username}`);
    expect(r.details).toContainEqual({ label: "With API token", value: "deploy script" });
  }
  expect((await api(writer, "GET", `/api/projects/${projectId}/audit?page=zero`)).status).toBe(400);

  // A token cannot mint tokens, personal or kubeconfig: that needs the signed-in browser.
  for (const [path, data] of [
    ["/api/user/tokens", { name: "more", scopes: ["api"], expiresInDays: 1 }],
    [`/api/agents/${agentId}/kubeconfig`, {}],
  ] as const) {
    const minted = await api(writer, "POST", path, data);
    expect(minted.status).toBe(403);
    expect(minted.body.error).toMatch(/needs a browser session/);
  }

  // The read_api token reads, and every write is refused naming the api scope, changing nothing.
  const listed = await api(reader, "GET", "/api/projects");
  expect(listed.status).toBe(200);
  expect((listed.body.projects as { fullPath: string }[]).map((p) => p.fullPath)).toContain(`${user.username}/shop`);
  const refused = await api(reader, "POST", `/api/projects/${projectId}/agents`, { name: "staging" });
  expect(refused).toEqual({
    status: 403,
    body: { error: "This token needs the api scope for POST requests (it has: read_api)" },
    challenge: `Bearer error="insufficient_scope", scope="api"`,
  });
  expect((await api(reader, "DELETE", `/api/agents/${agentId}/tokens/x`)).status).toBe(403);
  const agents = await api(reader, "GET", `/api/projects/${projectId}/agents`);
  expect((agents.body.agents as { name: string }[]).map((a) => a.name)).toEqual(["prod"]);

  // The page shows the tokens' last use, and the project's audit page names the token.
  await page.reload();
  await expect(rowOf("deploy script")).toContainText("Active");
  await expect(rowOf("deploy script")).not.toContainText("Never used");
  await page.goto(`/projects/${user.username}/shop/-/audit`);
  await expect(page.getByRole("table", { name: /Audit log of/ })).toContainText("deploy script");

  // Revoked in the browser: the script is refused with the reason.
  await page.goto("/settings/tokens");
  await rowOf("dashboard").getByRole("button", { name: "Revoke token dashboard" }).click();
  const dialog = page.getByRole("dialog", { name: 'Revoke token "dashboard"?' });
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(rowOf("dashboard")).toContainText("Revoked");
  const afterRevoke = await api(reader, "GET", "/api/projects");
  expect(afterRevoke.status).toBe(401);
  expect(afterRevoke.body.error).toBe("This personal access token (dashboard) was revoked");
  expect(afterRevoke.challenge).toBe(`Bearer error="invalid_token"`);

  // Another user's script does not see the project: 404, as for a stranger.
  const other = await newSignedInPage(browser, "stranger");
  await other.page.goto("/settings/tokens");
  const strangerToken = await createToken(other.page, "snoop", ["api"]);
  expect((await api(strangerToken, "GET", `/api/projects/${projectId}/audit`)).status).toBe(404);
  expect((await api(strangerToken, "POST", `/api/projects/${projectId}/agents`, { name: "x" })).status).toBe(404);
  // Their token pages poll every 30 s: closed, so later specs do not share the machine with them.
  await Promise.all([page.context().close(), other.page.context().close()]);
});
