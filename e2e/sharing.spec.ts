// Agent configuration, sharing and the audit log, end to end: a maintainer edits the YAML, sees the
// error's line, fixes it and gets a new version; shares the agent with another group's project from the
// Sharing tab, and that project's clusters list shows it as shared; the project's audit log lists the
// changes; developers and outsiders get 404 on it, and only admins see the installation's log. How a
// block's grants act is shown once above them, never changed by adding a grant, and changed only as a
// confirmed step of its own; a group the maintainer cannot see is answered like a missing one.
import { expect, test, type Page } from "./test";
import { newSignedInPage } from "./helpers";

async function post(page: Page, url: string, data: unknown) {
  const res = await page.request.post(url, { data });
  expect(res.status(), `${url}: ${await res.text()}`).toBe(201);
  return res.json() as Promise<Record<string, { id: string; href?: string }>>;
}

test("configuration YAML with line errors and versions, sharing with another group's project, the audit log and who may read it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const owner = await newSignedInPage(browser, "owner");
  const maint = await newSignedInPage(browser, "maint");
  const dev = await newSignedInPage(browser, "dev");
  const apps = await newSignedInPage(browser, "apps");
  const outsider = await newSignedInPage(browser, "outsider");
  const page = maint.page;

  // platform-…/infra (with the agent) and platform-…/tools, a maintainer and a developer; apps-…/web in a group of its own.
  const platform = `platform-${stamp}`;
  const appsGroup = `apps-${stamp}`;
  await post(owner.page, "/api/groups", { name: "Platform", path: platform });
  for (const [username, role] of [
    [maint.user.username, "maintainer"],
    [dev.user.username, "developer"],
  ]) {
    await post(owner.page, `/api/groups/${platform}/members`, { username, role });
  }
  const infra = (await post(owner.page, "/api/projects", { name: "Infra", path: "infra", namespace: platform }))
    .project!;
  await post(owner.page, "/api/projects", { name: "Tools", path: "tools", namespace: platform });
  const agent = (await post(page, `/api/projects/${infra.id}/agents`, { name: "prod" })).agent!;
  await post(apps.page, "/api/groups", { name: "Apps", path: appsGroup });
  await post(apps.page, "/api/projects", { name: "Web", path: "web", namespace: appsGroup });
  // The maintainer sees apps-…/web, so may share the agent with it.
  await post(apps.page, `/api/groups/${appsGroup}/members`, { username: maint.user.username, role: "reporter" });
  const agentUrl = agent.href!;

  // The Configuration tab: nothing saved yet.
  await page.goto(agentUrl);
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Configuration" }).click();
  await expect(page).toHaveURL(new RegExp(`${agentUrl}/configuration$`));
  await expect(page.getByRole("heading", { name: "No configuration yet" })).toBeVisible();
  const editor = page.getByRole("textbox", { name: "Configuration (YAML)", exact: true });
  const save = page.getByRole("button", { name: "Save configuration" });
  await expect(save).toBeDisabled();

  // Version 1 from the keyboard.
  await editor.click();
  await page.keyboard.insertText(`# Who may use prod\nci_access:\n  projects:\n    - id: ${platform}/tools\n`);
  await save.click();
  await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
  await expect(page.getByText("Saved as version 1.")).toBeVisible();

  // A typo: the problem names the line as it is typed, the editor keeps the text, and Save waits for a fix.
  const broken = `# Who may use prod\nci_access:\n  projects:\n    - id: ${platform}/tools\n      acess_as: { ci_job: {} }\n`;
  await editor.fill(broken);
  const error = page.getByRole("list", { name: "Problems" }).getByText(/^line 5: /);
  await expect(error).toHaveText('line 5: ci_access.projects.0: unknown key "acess_as"');
  await expect(save).toBeDisabled();
  await expect(editor.locator(".cm-line")).toHaveText(broken.split("\n"));
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
  await page.getByRole("button", { name: "Go to line 5" }).click();
  await expect(editor).toBeFocused();
  expect(await page.evaluate(() => window.getSelection()?.toString())).toBe("      acess_as: { ci_job: {} }");

  // Fixed: version 2, and the history lists both.
  await editor.fill(broken.replace("acess_as", "access_as"));
  await save.click();
  await expect(page.getByRole("heading", { name: "Version 2" })).toBeVisible();
  await expect(error).toHaveCount(0);
  const history = page.getByRole("table", { name: /Configuration versions of agent prod/ });
  await expect(history.getByRole("row")).toHaveCount(3);
  await expect(history.getByRole("row", { name: /Version 1/ })).toContainText(`@${maint.user.username}`);
  await page.getByRole("button", { name: "View version 1" }).click();
  const old = page.getByRole("textbox", { name: "Configuration version 1 (read-only)" });
  await expect(old.locator(".cm-line")).toHaveText(
    `# Who may use prod\nci_access:\n  projects:\n    - id: ${platform}/tools\n`.split("\n"),
  );
  await expect(old).toHaveAttribute("aria-readonly", "true");
  await page.getByRole("button", { name: "Close" }).click();

  // The JSON route: a save on an outdated version is refused, as is an oversized body; nothing is written.
  const stale = await page.request.put(`/api/agents/${agent.id}/config`, { data: { yaml: "{}\n", baseVersion: 1 } });
  expect(stale.status()).toBe(409);
  expect(((await stale.json()) as { error: string }).error).toContain("it is now at version 2");
  expect(
    (
      await page.request.put(`/api/agents/${agent.id}/config`, { data: { yaml: `# ${"x".repeat(70 * 1024)}\n` } })
    ).status(),
  ).toBe(413);
  expect((await dev.page.request.put(`/api/agents/${agent.id}/config`, { data: { yaml: "{}\n" } })).status()).toBe(403);
  expect((await outsider.page.request.get(`/api/agents/${agent.id}/config`)).status()).toBe(404);

  // The developer reads it but cannot edit.
  await dev.page.goto(`${agentUrl}/configuration`);
  await expect(dev.page.getByRole("heading", { name: "Version 2" })).toBeVisible();
  const readOnly = dev.page.getByRole("textbox", { name: "Configuration (YAML)", exact: true });
  await expect(readOnly).toHaveAttribute("aria-readonly", "true");
  await expect(readOnly).toHaveAttribute("contenteditable", "false");
  await expect(dev.page.getByRole("button", { name: "Save configuration" })).toHaveCount(0);

  // The Sharing tab: the entry from the YAML, then an unknown group (refused), then apps-…/web.
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Sharing" }).click();
  await expect(page).toHaveURL(new RegExp(`${agentUrl}/sharing$`));
  const shares = page.getByRole("table", { name: "CI access grants of agent prod" });
  await expect(shares.getByRole("row", { name: new RegExp(`${platform}/tools`) })).toBeVisible();
  // How the CI grants act, once above them.
  const ciActs = page.getByRole("group", { name: "How CI access grants act" });
  await expect(ciActs).toContainText("Acts as: The CI job (impersonated)");
  await expect(ciActs).toContainText("Every CI job acts as itself: only what the cluster's RBAC allows");
  const form = page.getByRole("form", { name: "Share this agent" });
  await form.getByLabel("Share with").selectOption("group");
  await form.getByLabel("Group (path)").fill(`no-such-${stamp}`);
  await form.getByRole("button", { name: "Share" }).click();
  await expect(
    form.getByText(`There is no group "no-such-${stamp}". Use the group's path, as in its address.`),
  ).toBeVisible();
  await form.getByLabel("Share with").selectOption("project");
  await form.getByLabel("Project (full path)").fill(`${appsGroup}/web`);
  // The new grant acts as the CI grants already do: nothing to choose.
  await expect(form.getByLabel("Acts as")).toHaveCount(0);
  await expect(form.getByText("The CI job (impersonated), like every CI access grant")).toBeVisible();
  await form.getByLabel("Default namespace (optional)").fill("web-ci");
  await form.getByRole("button", { name: "Share" }).click();
  await expect(
    page.getByRole("status").filter({
      hasText: `Shared with project ${appsGroup}/web (CI access), acting as the CI job (impersonated). Saved as configuration version 3.`,
    }),
  ).toBeVisible();
  const webRow = shares.getByRole("row", { name: new RegExp(`${appsGroup}/web`) });
  await expect(webRow).toContainText("web-ci");
  // The YAML has it too, as version 3 (the failed attempt wrote nothing).
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Configuration" }).click();
  await expect(page.getByRole("heading", { name: "Version 3" })).toBeVisible();
  // CodeMirror draws one element per line.
  await expect(editor).toHaveText(
    new RegExp(`- id: ${appsGroup}/web\\s+default_namespace: web-ci\\s+access_as: \\{ ci_job: \\{\\} \\}`),
  );

  // apps-…/web's clusters list shows the agent, shared from platform-…/infra, without a link into it.
  await apps.page.goto(`/projects/${appsGroup}/web/-/clusters`);
  const sharedRow = apps.page.getByRole("row").filter({ has: apps.page.getByRole("rowheader", { name: /prod/ }) });
  await expect(sharedRow).toContainText(`Shared from ${platform}/infra`);
  await expect(sharedRow).toContainText("CI access");
  await expect(sharedRow.getByText("Never connected", { exact: true })).toBeVisible();
  await expect(sharedRow.getByRole("link")).toHaveCount(0);
  await expect(apps.page.getByRole("button", { name: "Register an agent" })).toBeVisible(); // apps' own agents, still
  expect((await apps.page.request.get(`/api/agents/${agent.id}/config`)).status()).toBe(404);
  expect(
    (
      await apps.page.request.post(`/api/agents/${agent.id}/sharing`, {
        data: { access: "ci_access", targetType: "group", target: appsGroup },
      })
    ).status(),
  ).toBe(404);

  // Stop sharing with the first entry, after confirming.
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Sharing" }).click();
  await page.getByRole("button", { name: `Stop sharing with project ${platform}/tools (CI access)` }).click();
  const dialog = page.getByRole("dialog", { name: `Stop sharing with project ${platform}/tools?` });
  await dialog.getByRole("button", { name: "Stop sharing" }).click();
  await expect(dialog).toBeHidden();
  await expect(shares.getByRole("row")).toHaveCount(2);

  // The project's audit log lists the changes, newest first.
  await page.goto(`/projects/${platform}/infra`);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${platform}/infra/-/audit$`));
  const log = page.getByRole("table", { name: /Audit log of/ });
  const rows = log.getByRole("row");
  await expect(rows.nth(1)).toContainText(
    `Stopped sharing agent prod (${platform}/infra): ci_access project ${platform}/tools as ci_job (configuration version 4)`,
  );
  await expect(rows.nth(2)).toContainText(
    `Shared agent prod (${platform}/infra): ci_access project ${appsGroup}/web as ci_job, default namespace web-ci (configuration version 3)`,
  );
  await expect(rows.nth(2)).toContainText(`@${maint.user.username}`);
  await expect(rows.nth(3)).toContainText("Saved configuration version 2 of agent prod");
  await expect(log.getByText(`Registered agent prod (${platform}/infra)`)).toBeVisible();
  await expect(log.getByText(`Created project ${platform}/infra`)).toBeVisible();
  await expect(page.getByText(/Events 1–\d+ of \d+ · page 1 of 1/)).toBeVisible();

  // Developers and outsiders get 404 on it (and no tab); only admins see the installation's log.
  for (const p of [dev.page, outsider.page]) {
    const res = await p.goto(`/projects/${platform}/infra/-/audit`);
    expect(res?.status()).toBe(404);
    await expect(p.getByRole("heading", { name: "Page not found" })).toBeVisible();
    expect((await p.goto("/admin/audit"))?.status()).toBe(404);
  }
  await dev.page.goto(`/projects/${platform}/infra`);
  await expect(
    dev.page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Kubernetes clusters" }),
  ).toBeVisible();
  await expect(
    dev.page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Audit log" }),
  ).toHaveCount(0);
});

test("adding a user access grant never changes how the members of the other grants act; changing that is a confirmed step of its own", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const owner = await newSignedInPage(browser, "owner");
  const outsider = await newSignedInPage(browser, "outsider");
  const page = owner.page;
  const platform = `team-${stamp}`;
  await post(page, "/api/groups", { name: "Team", path: platform });
  const infra = (await post(page, "/api/projects", { name: "Infra", path: "infra", namespace: platform })).project!;
  await post(page, "/api/projects", { name: "Tools", path: "tools", namespace: platform });
  const agent = (await post(page, `/api/projects/${infra.id}/agents`, { name: "prod" })).agent!;
  const yaml = `# members act as themselves\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: ${platform}\n`;
  expect((await page.request.put(`/api/agents/${agent.id}/config`, { data: { yaml } })).status()).toBe(201);

  // What the form sent when "Acts as: the agent's service account" was picked for a new grant: refused, nothing written.
  const widened = await page.request.post(`/api/agents/${agent.id}/sharing`, {
    data: { access: "user_access", targetType: "project", target: `${platform}/tools`, accessAs: "agent" },
  });
  expect(widened.status(), await widened.text()).toBe(409);
  const config = (await (await page.request.get(`/api/agents/${agent.id}/config`)).json()) as {
    current: { version: number; yaml: string };
  };
  expect(config.current).toMatchObject({ version: 1, yaml });

  // A group the maintainer cannot see is answered like a missing one.
  const hidden = `hidden-${stamp}`;
  await post(outsider.page, "/api/groups", { name: "Hidden", path: hidden });
  const refusal = async (target: string) => {
    const res = await page.request.post(`/api/agents/${agent.id}/sharing`, {
      data: { access: "ci_access", targetType: "group", target },
    });
    return [res.status(), ((await res.json()) as { error: string }).error.replace(target, "…")];
  };
  expect(await refusal(hidden)).toEqual(await refusal(`missing-${stamp}`));

  // The Sharing tab: how user access grants act, once above them, and a new grant that takes it.
  await page.goto(`${agent.href!}/sharing`);
  const userActs = page.getByRole("group", { name: "How user access grants act" });
  await expect(userActs).toContainText("Acts as: The user (impersonated)");
  await expect(userActs).toContainText(
    "Every member acts as themselves: only what the cluster's RBAC allows their own user",
  );
  const form = page.getByRole("form", { name: "Share this agent" });
  await form.getByLabel("User access").check();
  await expect(form.getByLabel("Acts as")).toHaveCount(0);
  await expect(form.getByText("The user (impersonated), like every user access grant")).toBeVisible();
  await form.getByLabel("Project (full path)").fill(`${platform}/tools`);
  await form.getByRole("button", { name: "Share" }).click();
  await expect(
    page.getByRole("status").filter({
      hasText: `Shared with project ${platform}/tools (User access), acting as the user (impersonated). Saved as configuration version 2.`,
    }),
  ).toBeVisible();
  const grants = page.getByRole("table", { name: "User access grants of agent prod" });
  await expect(grants.getByRole("row")).toHaveCount(3);
  await expect(userActs).toContainText("Acts as: The user (impersonated)");

  // Changing it: confirmed first (cancel writes nothing), says what it means, then its own version and audit line.
  await page.getByRole("button", { name: "Change how user access grants act" }).click();
  let dialog = page.getByRole("dialog", { name: "Change how user access grants act?" });
  await expect(dialog).toContainText("This applies to all 2 user access grants of the agent.");
  await expect(dialog).toContainText(
    "Every member acts with the agent's service account: everything the agent can do.",
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(userActs).toContainText("Acts as: The user (impersonated)");
  await page.getByRole("button", { name: "Change how user access grants act" }).click();
  dialog = page.getByRole("dialog", { name: "Change how user access grants act?" });
  await dialog.getByRole("button", { name: "Act as the agent's service account" }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole("status").filter({
      hasText: "Every user access grant (2) now acts as the agent's service account. Saved as configuration version 3.",
    }),
  ).toBeVisible();
  await expect(userActs).toContainText("Acts as: The agent's service account");
  await expect(userActs).toContainText(
    "Every member acts with the agent's service account: everything the agent can do.",
  );
  const after = (await (await page.request.get(`/api/agents/${agent.id}/config`)).json()) as {
    current: { version: number; yaml: string };
  };
  expect(after.current).toEqual(
    expect.objectContaining({
      version: 3,
      yaml: `# members act as themselves\nuser_access:\n  groups:\n    - id: ${platform}\n  projects:\n    - id: ${platform}/tools\n`,
    }),
  );
  expect(
    (
      await outsider.page.request.put(`/api/agents/${agent.id}/sharing`, {
        data: { block: "user_access", accessAs: "user" },
      })
    ).status(),
  ).toBe(404);
  expect(
    (
      await page.request.put(`/api/agents/${agent.id}/sharing`, { data: { block: "user_access", accessAs: "ci_job" } })
    ).status(),
  ).toBe(400);

  await page.goto(`/projects/${platform}/infra/-/audit`);
  const rows = page.getByRole("table", { name: /Audit log of/ }).getByRole("row");
  await expect(rows.nth(1)).toContainText(
    `Changed how the user access grants of agent prod (${platform}/infra) act, from the user (impersonated) to the agent's service account (2 grants, configuration version 3)`,
  );
  await expect(rows.nth(2)).toContainText(
    `Shared agent prod (${platform}/infra): user_access project ${platform}/tools as user (configuration version 2)`,
  );
});
