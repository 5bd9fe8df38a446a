// Agents end to end, against the real product and a real cluster: a maintainer registers an agent and
// creates its token in the wizard; the test starts the real agent process with that token against a
// real kube-apiserver (the testbed), and the row turns Connected with the cluster's version without a
// reload; revoking the token turns it Not connected; an outsider gets 404 on the agent's page.
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./test";
import { KAS_VERSION } from "../lib/common/release";
import { KAS_AGENT_ADDRESS, specCluster } from "./cluster";
import { newSignedInPage } from "./helpers";

const cluster = specCluster("agents");

async function agentIdOf(page: Page, projectId: string, name: string): Promise<string> {
  const listed = (await (await page.request.get(`/api/projects/${projectId}/agents`)).json()) as {
    agents: { id: string; name: string }[];
  };
  return listed.agents.find((a) => a.name === name)!.id;
}

async function agentRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
}

test("a maintainer registers an agent, installs it with the wizard's token, sees it connect, revokes it; outsiders get 404", async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  const owner = await newSignedInPage(browser, "owner");
  const maint = await newSignedInPage(browser, "maint");
  const dev = await newSignedInPage(browser, "dev");
  const outsider = await newSignedInPage(browser, "outsider");
  const page = maint.page;
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);

  // A group with a maintainer and a developer, and a project in it (the UI for this is groups-projects.spec.ts).
  const groupPath = `ops-${stamp}`;
  expect((await owner.page.request.post("/api/groups", { data: { name: "Ops", path: groupPath } })).status()).toBe(201);
  for (const [username, role] of [
    [maint.user.username, "maintainer"],
    [dev.user.username, "developer"],
  ]) {
    expect(
      (await owner.page.request.post(`/api/groups/${groupPath}/members`, { data: { username, role } })).status(),
    ).toBe(201);
  }
  const created = await owner.page.request.post("/api/projects", {
    data: { name: "Clusters", path: "clusters", namespace: groupPath },
  });
  expect(created.status()).toBe(201);
  const projectId = ((await created.json()) as { project: { id: string } }).project.id;
  const clustersUrl = `/projects/${groupPath}/clusters/-/clusters`;

  // The developer sees the page but no register button, and the API refuses them.
  await dev.page.goto(clustersUrl);
  await expect(
    dev.page.getByRole("heading", { name: "No agents yet — register one to connect a cluster" }),
  ).toBeVisible();
  await expect(dev.page.getByText("A maintainer of this project can register an agent")).toBeVisible();
  await expect(dev.page.getByRole("button", { name: "Register an agent" })).toHaveCount(0);
  const refused = await dev.page.request.post(`/api/projects/${projectId}/agents`, { data: { name: "dev-cluster" } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toBe(
    "You need the maintainer or owner role in this project to manage its agents",
  );

  // The maintainer opens Kubernetes clusters from the project page.
  await page.goto(`/projects/${groupPath}/clusters`);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Kubernetes clusters" }).click();
  await expect(page).toHaveURL(new RegExp(`${clustersUrl}$`));
  await expect(page.getByRole("heading", { name: "No agents yet — register one to connect a cluster" })).toBeVisible();
  // Marks this document: if the page ever reloads, the mark is gone.
  await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));

  // Step 1: a name that is not a DNS label gets the specific error beside the field.
  await page.getByRole("button", { name: "Register an agent" }).click();
  await page.getByLabel("Agent name").fill("Prod_EU");
  await page.getByRole("button", { name: "Register agent" }).click();
  await expect(page.locator("#agent-name-error")).toHaveText(
    "Use lower-case letters, digits and '-' only, starting and ending with a letter or digit (a Kubernetes DNS label)",
  );
  await page.getByLabel("Agent name").fill("a".repeat(64));
  await page.getByRole("button", { name: "Register agent" }).click();
  await expect(page.locator("#agent-name-error")).toHaveText(
    "Agent name is too long (at most 63 characters, like a Kubernetes DNS label)",
  );
  const agentName = "prod-eu";
  await page.getByLabel("Agent name").fill(agentName);
  await page.getByRole("button", { name: "Register agent" }).click();

  // Step 2: the token, named after the agent by default.
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Create a token" })).toBeFocused();
  await expect(page.getByLabel("Token name")).toHaveValue(agentName);
  await page.getByLabel("Description (optional)").fill("first install");
  await page.getByRole("button", { name: "Create token" }).click();

  // Step 3: shown once, with the Helm command and the manifest for this installation's kas.
  await expect(page.getByRole("heading", { name: `Token for ${agentName} created` })).toBeVisible();
  const token = await page.getByLabel("Agent token").inputValue();
  expect(token).toMatch(/^tthr_agent_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await expect(page.getByLabel("Helm command", { exact: true })).toHaveText(
    `helm upgrade --install ${agentName} tether/tether-agent --version ${KAS_VERSION} \\\n  --namespace tether-agent --create-namespace \\\n  --set config.kasAddress=${KAS_AGENT_ADDRESS} \\\n  --set config.token=${token}`,
  );
  await page.getByText("Or install with kubectl (plain manifest)").click();
  const manifest = (await page.getByLabel("Agent manifest").textContent()) ?? "";
  expect(manifest).toContain(`token: "${token}"`);
  expect(manifest).toContain(`--kas-address=${KAS_AGENT_ADDRESS}`);
  expect(manifest).not.toMatch(/KAS_ADDRESS|AGENT_TOKEN/);

  // The list below already has the agent, never connected.
  const row = await agentRow(page, agentName);
  await expect(row.getByText("Never connected", { exact: true })).toBeVisible();

  // A real agent with that token, against the real cluster: the row turns Connected on its own.
  cluster.startAgent(token);
  await expect(row.getByText("Connected", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(row.getByText(`v${TESTBED_DEFAULT_KUBERNETES}`, { exact: true })).toBeVisible();
  await expect(row.getByText("0.1.0", { exact: true })).toBeVisible();
  await expect(row.getByRole("cell", { name: "1", exact: true })).toBeVisible(); // kwok's node
  await expect(row.getByText(/^(just now|\d+ s ago)$/)).toBeVisible();
  await expect(row.getByText(/Behind kas/)).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
  await page.getByRole("button", { name: "I have copied the token" }).click();
  await expect(page.getByLabel("Agent token")).toHaveCount(0);

  // The agent's page: status and versions; the token list knows who created it and that it was used.
  await row.getByRole("link", { name: agentName }).click();
  await expect(page).toHaveURL(new RegExp(`${clustersUrl}/${agentName}$`));
  await expect(page.getByRole("heading", { name: agentName, level: 1 })).toBeVisible();
  const details = page.getByRole("definition");
  await expect(details.getByText("Connected", { exact: true })).toBeVisible();
  // One agent process, its tunnel on the one kas (named by TETHER_KAS_ID), from kas's tunnel registry.
  await expect(details.getByText(/^1 connection through kas replica \S+$/)).toBeVisible();
  await expect(details.getByText(`v${TESTBED_DEFAULT_KUBERNETES}`, { exact: true })).toBeVisible();

  // The Kubernetes versions page lists this connected cluster with its support badge.
  const versions = await page.context().newPage();
  await versions.goto("/kubernetes-versions");
  const clusterRow = versions
    .getByRole("row")
    .filter({ has: versions.getByRole("rowheader", { name: new RegExp(agentName) }) });
  await expect(clusterRow).toContainText(`v${TESTBED_DEFAULT_KUBERNETES}`);
  await expect(clusterRow.locator('[data-status="supported"]')).toContainText("Supported");
  await versions.close();
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Tokens" }).click();
  const tokenRow = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: agentName }) });
  await expect(tokenRow).toContainText(`@${maint.user.username}`);
  await expect(tokenRow).toContainText("first install");
  await expect(tokenRow).toContainText("Active");
  await expect(tokenRow.getByText("Never used")).toHaveCount(0);

  // A second token is allowed (rotation); a third is refused with the reason.
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByLabel("Token name").fill("rotation");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: `Token for ${agentName} created` })).toBeVisible();
  await page.getByRole("button", { name: "I have copied the token" }).click();
  // At 2 of 2 the button is disabled and says why; the API refuses a third with the same reason.
  await expect(page.getByRole("button", { name: "Create token" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Create token" })).toHaveAccessibleDescription(
    "2 of 2 tokens are active: revoke one to create another.",
  );
  const third = await page.request.post(`/api/agents/${await agentIdOf(page, projectId, agentName)}/tokens`, {
    data: { name: "one-too-many" },
  });
  expect(third.status()).toBe(409);
  expect(((await third.json()) as { error: string }).error).toBe(
    `Agent "${agentName}" already has 2 active tokens. Revoke one before creating another (two allow rotation without downtime).`,
  );
  await expect(page.getByRole("row")).toHaveCount(3); // header, two tokens

  // An outsider (another browser, signed in) cannot tell the agent exists.
  const agentUrl = page.url().replace(/\/tokens$/, "");
  const agentId = await agentIdOf(page, projectId, agentName);
  for (const url of [agentUrl, `${agentUrl}/tokens`]) {
    const res = await outsider.page.goto(url);
    expect(res?.status()).toBe(404);
    await expect(outsider.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  for (const url of [`/api/agents/${agentId}`, `/api/agents/${agentId}/tokens`, `/api/projects/${projectId}/agents`]) {
    expect((await outsider.page.request.get(url)).status()).toBe(404);
  }
  expect((await outsider.page.request.post(`/api/agents/${agentId}/tokens`, { data: { name: "mine" } })).status()).toBe(
    404,
  );
  // The developer may look but not create a token.
  expect((await dev.page.request.post(`/api/agents/${agentId}/tokens`, { data: { name: "mine" } })).status()).toBe(403);

  // Revoke the agent's token, after confirming: kas drops the agent and the list says so, no reload.
  await page.getByRole("button", { name: `Revoke token ${agentName}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke token "${agentName}"?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(tokenRow).toContainText("Revoked");
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Kubernetes clusters" }).click();
  const rowAgain = await agentRow(page, agentName);
  await expect(rowAgain.getByText("Not connected", { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

  const log = path.join(cluster.workDir, "agent-agent.log");
  if (fs.existsSync(log)) await testInfo.attach("agent.log", { path: log, contentType: "text/plain" });
});
