// Changing and removing, end to end against the real product: deleting an agent whose real process is
// connected through kas to the testbed closes its tunnels and 404s its pages; removing a member ends their
// access at once (and the last owner cannot leave); the audit log's filters and CSV export.
import fs from "node:fs";
import { expect, test, type Page } from "./test";
import { KAS_AGENT_ADDRESS, specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

/** kas's observability port follows its agent port (e2e/product-server.ts). */
const KAS_METRICS_URL = `http://127.0.0.1:${Number(new URL(KAS_AGENT_ADDRESS).port) + 1}/metrics`;

async function connectedAgentsOnKas(page: Page): Promise<number> {
  const text = await (await page.request.get(KAS_METRICS_URL)).text();
  const m = /^tether_kas_connected_agents (\d+)/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

// Only this test needs the testbed (started before it, stopped after).
test.describe("with a real agent", () => {
  const cluster = specCluster("manage");

  test("deleting a connected agent after typing its name closes its tunnels, and its pages and API answer 404", async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const { page, user } = await newSignedInPage(browser, "owner");
    const name = `del-${Date.now().toString(36)}`;
    const agent = await createProjectAgent(page, user, name);
    cluster.startAgent(agent.token, name);
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`/api/agents/${agent.agentId}`)).json()) as { agent: { status: string } })
            .agent.status,
        { timeout: 60_000 },
      )
      .toBe("connected");
    // Counted before the deletion: agents of other specs may still be on this kas.
    let before = 0;
    await expect
      .poll(async () => (before = await connectedAgentsOnKas(page)), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);

    const agentPath = `/projects/${user.username}/${name}/-/clusters/${name}`;
    await page.goto(agentPath);
    await page.getByRole("button", { name: "Delete agent" }).click();
    const dialog = page.getByRole("dialog", { name: `Delete agent ${name}?` });
    await expect(dialog).toContainText("revokes its 1 active token");
    const confirm = dialog.getByRole("button", { name: "Delete agent" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(`Type ${name} to confirm`).fill(`${name}-not`);
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
    await confirm.click();
    await expect(page).toHaveURL(new RegExp(`/projects/${user.username}/${name}/-/clusters$`));
    await expect(
      page.getByRole("heading", { name: "No agents yet — register one to connect a cluster" }),
    ).toBeVisible();

    // kas's token re-check finds the token gone and closes the tunnels; the agent is refused when it dials again.
    await expect.poll(() => connectedAgentsOnKas(page), { timeout: 30_000 }).toBe(before - 1);
    const log = `${cluster.workDir}/${name}-agent.log`;
    await expect.poll(() => fs.readFileSync(log, "utf8"), { timeout: 30_000 }).toMatch(/kas refused the agent token/);

    for (const url of [agentPath, `${agentPath}/tokens`, `${agentPath}/cluster`, `${agentPath}/configuration`]) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(404);
    }
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    for (const url of [`/api/agents/${agent.agentId}`, `/api/agents/${agent.agentId}/tokens`]) {
      expect((await page.request.get(url)).status(), url).toBe(404);
    }

    // The project's audit log keeps the agent's history, filtered to it.
    await page.goto(`/projects/${user.username}/${name}/-/audit?agent=${name}`);
    const rows = page.getByRole("row").filter({ has: page.getByRole("rowheader") });
    await expect(rows.first()).toContainText(`Deleted agent ${name}`);
    await expect(rows.filter({ hasText: `Registered agent ${name}` })).toHaveCount(1);
  });
});

test("an owner removes a member and their access ends at once; the last owner cannot leave", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, user: owner } = await newSignedInPage(browser, "owner");
  const member = await newSignedInPage(browser, "member");
  const groupPath = `rm-${Date.now().toString(36)}`;
  expect((await page.request.post("/api/groups", { data: { name: "Removals", path: groupPath } })).status()).toBe(201);
  const created = await page.request.post("/api/projects", {
    data: { name: "Apps", path: "apps", namespace: groupPath },
  });
  const projectId = ((await created.json()) as { project: { id: string } }).project.id;

  // "@name" is accepted in the member form.
  await page.goto(`/groups/${groupPath}`);
  await page.getByLabel("Username", { exact: true }).fill(`@${member.user.username}`);
  await page.getByLabel("Role", { exact: true }).selectOption("maintainer");
  await page.getByRole("button", { name: "Add member" }).click();
  const memberRow = page.getByRole("row").filter({ hasText: `@${member.user.username}` });
  await expect(memberRow.getByLabel(`Role of @${member.user.username}`)).toHaveValue("maintainer");
  await memberRow.getByLabel(`Role of @${member.user.username}`).selectOption("developer");
  await page.reload();
  await expect(memberRow.getByLabel(`Role of @${member.user.username}`)).toHaveValue("developer");

  expect((await member.page.goto(`/projects/${groupPath}/apps`))?.status()).toBe(200);
  expect((await member.page.request.get(`/api/projects/${projectId}/agents`)).status()).toBe(200);

  // The last owner may neither leave nor be made a maintainer.
  const ownerRow = page.getByRole("row").filter({ hasText: `@${owner.username}` });
  await ownerRow.getByRole("button", { name: "Leave group" }).click();
  const leave = page.getByRole("dialog", { name: `Leave ${groupPath}?` });
  await leave.getByRole("button", { name: "Leave group" }).click();
  await expect(leave.getByRole("alert")).toHaveText(
    `You are the last owner of ${groupPath} and cannot leave it: a group needs at least one owner. Make another member an owner first.`,
  );
  await leave.getByRole("button", { name: "Cancel" }).click();

  await memberRow.getByRole("button", { name: `Remove @${member.user.username}` }).click();
  const dialog = page.getByRole("dialog", { name: `Remove @${member.user.username} from ${groupPath}?` });
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(dialog).toBeHidden();
  await expect(memberRow).toHaveCount(0);

  const res = await member.page.goto(`/projects/${groupPath}/apps`);
  expect(res?.status()).toBe(404);
  expect((await member.page.request.get(`/api/projects/${projectId}/agents`)).status()).toBe(404);
  expect((await member.page.goto(`/groups/${groupPath}`))?.status()).toBe(404);
});

test("the audit log filters by actor, action, agent and date, and exports what it shows as CSV", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "auditor");
  const helper = await newSignedInPage(browser, "helper");
  const name = `aud-${Date.now().toString(36)}`;
  const first = await createProjectAgent(page, user, name);
  const second = await page.request.post(`/api/projects/${first.projectId}/agents`, { data: { name: "other" } });
  const otherId = ((await second.json()) as { agent: { id: string } }).agent.id;
  const tokens = (await (await page.request.get(`/api/agents/${first.agentId}/tokens`)).json()) as {
    tokens: { id: string }[];
  };
  expect((await page.request.delete(`/api/agents/${first.agentId}/tokens/${tokens.tokens[0]!.id}`)).status()).toBe(200);
  // A wrong confirmation changes nothing and says what to type.
  const wrong = await page.request.delete(`/api/agents/${otherId}`, { data: { confirm: "nope" } });
  expect(wrong.status()).toBe(400);
  expect(await wrong.json()).toMatchObject({ error: "Type other to confirm that you want to delete agent other" });
  expect((await page.request.delete(`/api/agents/${otherId}`, { data: { confirm: "other" } })).status()).toBe(200);
  // Someone else's event: not in this project's log at all.
  await helper.page.request.post("/api/projects", {
    data: { name: "Elsewhere", path: "elsewhere", namespace: helper.user.username },
  });

  const audit = `/projects/${user.username}/${name}/-/audit`;
  await page.goto(audit);
  const rows = page.getByRole("row").filter({ has: page.getByRole("rowheader") });
  await expect(rows).toHaveCount(6); // project, 2 agents registered, token created and revoked, agent deleted

  const form = page.getByRole("form", { name: "Filter the audit log" });
  await form.getByLabel("Agent").fill("other");
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/agent=other/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(`Deleted agent other (${user.username}/${name}), deleted`);
  await expect(rows.nth(1)).toContainText("Registered agent other");

  await form.getByLabel("Agent").fill("");
  await form.getByLabel("Action").selectOption("agent_token");
  await form.getByLabel("Actor").fill(`@${user.username}`);
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(`Revoked token "${name}"`);

  // The CSV holds the same events as the filtered page, with a header.
  const download = page.waitForEvent("download");
  await form.getByRole("link", { name: "Export CSV" }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, "utf8").trim().split("\n");
  expect(csv[0]).toBe("time,actor,action,summary,details,ip");
  expect(csv.slice(1).map((l) => l.split(",")[2])).toEqual(["agent_token.revoked", "agent_token.created"]);
  expect(csv.slice(1).every((l) => l.split(",")[1] === user.username)).toBe(true);

  // Dates: a bad range is explained; a range before today selects nothing.
  await page.goto(`${audit}?from=2026-12-31&to=2026-01-01`);
  await expect(form.getByRole("alert")).toHaveText("“From” is after “to”");
  await page.goto(`${audit}?to=2001-01-01`);
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await form.getByRole("link", { name: "Clear filters" }).click();
  await expect(rows).toHaveCount(6);

  // The export obeys the same access rule as the page.
  expect((await helper.page.request.get(`/api/audit/export?project=${user.username}/${name}`)).status()).toBe(404);
  expect((await helper.page.request.get("/api/audit/export")).status()).toBe(404);
});

test("new group and project paths follow the name as you type; the theme switch offers light, dark and system and keeps the choice", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page } = await newSignedInPage(browser, "slug");
  await page.goto("/groups/new");
  await page.getByLabel("Group name").fill("Platform Team Ünïcode");
  await expect(page.getByLabel("Group path")).toHaveValue("platform-team-unicode");
  await expect(page.getByText(/2 to 60 characters: lower-case letters/)).toBeVisible();
  // Once edited by hand, the path no longer follows the name.
  await page.getByLabel("Group path").fill(`team-${Date.now().toString(36)}`);
  const path = await page.getByLabel("Group path").inputValue();
  await page.getByLabel("Group name").fill("Platform");
  await expect(page.getByLabel("Group path")).toHaveValue(path);

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.getByRole("radio", { name: "System theme" })).toBeChecked();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("radio", { name: "Light theme" }).check();
  await expect(page.locator("html")).toHaveClass(/light/);
  await page.reload();
  await expect(page.getByRole("radio", { name: "Light theme" })).toBeChecked();
  await expect(page.locator("html")).toHaveClass(/light/);
  await page.getByRole("radio", { name: "System theme" }).check();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  // Signed in, /sign-in sends you on to your projects.
  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/projects$/);
});
