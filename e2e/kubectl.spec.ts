// kubectl access end to end in the real product: a user creates a personal access token on the Access
// tokens page (reached from the user menu), sees it exactly once, and revokes it; on an agent's
// "Connect with kubectl" tab a kubeconfig is made with the context <project-path>:<agent-name> and the
// k8s-proxy's certificate embedded; the CI job token mint API answers credentials for the project's
// agents and refuses outsiders. (Real kubectl through kas is kas/k8s-proxy/k8s-proxy.int.test.ts.)
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./test";
import { parse } from "yaml";
import { newSignedInPage, recordMintedSecret } from "./helpers";
import { e2eServer } from "./product-server";

const root = path.resolve(__dirname, "..");
const K8S_PROXY = e2eServer.kasK8sProxyUrl;
// scripts/start.ts generates the k8s-proxy's self-signed certificate here and gives web and kas its path.
const proxyCert = () => fs.readFileSync(path.join(root, "data", "secrets", "kas-proxy.crt"), "utf8");

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { token: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  "current-context": string;
}

test("a user creates a personal access token, sees it once, and revokes it", async ({ browser }) => {
  const { page, user } = await newSignedInPage(browser, "pat");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);

  await page.getByTestId("current-user").click();
  await page.getByRole("menuitem", { name: "Access tokens" }).click();
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(page.getByRole("heading", { name: "Access tokens", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No personal access tokens" })).toBeVisible();

  // The server's limits, beside the field.
  await page.getByLabel("Token name").fill("laptop");
  await page.getByLabel("Expires after (days)").fill("400");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.locator("#pat-expiry-error")).toHaveText("A token can live at most 365 days");
  await page.getByLabel("Expires after (days)").fill("7");
  await page.getByRole("button", { name: "Create token" }).click();

  // Shown once, with a copy button.
  await expect(page.getByRole("heading", { name: "Token laptop created" })).toBeFocused();
  const token = await page.getByLabel("Personal access token", { exact: true }).inputValue();
  expect(token).toMatch(/^tthr_pat_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "laptop" }) });
  await expect(row).toContainText("k8s_proxy");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never used");
  await page.getByRole("button", { name: "I have copied the token" }).click();
  await expect(page.getByLabel("Personal access token", { exact: true })).toHaveCount(0);

  // Never again: not after a reload, not in the API.
  await page.reload();
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(token);
  const listed = await (await page.request.get("/api/user/tokens")).text();
  expect(listed).toContain("laptop");
  expect(listed).not.toContain(token);

  // Revoke after confirming; another user cannot revoke it (not found).
  const other = await newSignedInPage(browser, "other");
  const id = (JSON.parse(listed) as { tokens: { id: string; name: string }[] }).tokens.find(
    (t) => t.name === "laptop",
  )!.id;
  expect((await other.page.request.delete(`/api/user/tokens/${id}`)).status()).toBe(404);
  await row.getByRole("button", { name: "Revoke token laptop" }).click();
  const dialog = page.getByRole("dialog", { name: 'Revoke token "laptop"?' });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: "Revoke token laptop" })).toHaveCount(0);
  expect(user.username).toMatch(/^pat-/);
});

test("Connect with kubectl makes a kubeconfig with the context <project-path>:<agent-name> and the proxy's CA; the mint API serves CI jobs", async ({
  browser,
}) => {
  const { page, user } = await newSignedInPage(browser, "kube");
  const outsider = await newSignedInPage(browser, "nosy");
  const created = await page.request.post("/api/projects", {
    data: { name: "Apps", path: "apps", namespace: user.username },
  });
  expect(created.status()).toBe(201);
  const projectId = ((await created.json()) as { project: { id: string } }).project.id;
  const registered = await page.request.post(`/api/projects/${projectId}/agents`, { data: { name: "prod" } });
  expect(registered.status()).toBe(201);
  const agentId = ((await registered.json()) as { agent: { id: string } }).agent.id;
  const contextName = `${user.username}/apps:prod`;

  await page.goto(`/projects/${user.username}/apps/-/clusters/prod`);
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Connect with kubectl" }).click();
  await expect(page).toHaveURL(/\/-\/clusters\/prod\/connect$/);
  await expect(page.getByText(K8S_PROXY, { exact: true })).toBeVisible();
  // Nobody shared the agent through user_access yet: the page says so before the user tries.
  await expect(page.getByRole("status").filter({ hasText: "no user_access" })).toBeVisible();
  await expect(page.getByLabel("CI job", { exact: true })).toContainText(
    `kubectl --context '${contextName}' apply -f k8s/`,
  );
  await expect(page.getByLabel("Mint a CI job token")).toContainText(`/api/projects/${projectId}/ci-job-tokens`);

  await page.getByRole("button", { name: "Create kubeconfig" }).click();
  await expect(page.getByRole("heading", { name: `Your kubeconfig for ${contextName}` })).toBeFocused();
  const text = (await page.getByLabel("Kubeconfig", { exact: true }).textContent()) ?? "";
  const cfg = parse(text) as Kubeconfig;
  expect(cfg["current-context"]).toBe(contextName);
  expect(cfg.contexts.map((c) => c.name)).toEqual([contextName]);
  expect(cfg.clusters[0]!.cluster.server).toBe(K8S_PROXY);
  expect(Buffer.from(cfg.clusters[0]!.cluster["certificate-authority-data"], "base64").toString("utf8")).toBe(
    proxyCert(),
  );
  expect(cfg.users[0]!.user.token).toMatch(/^pat:[a-z0-9]+:tthr_pat_[A-Za-z0-9_-]{43}$/);

  // Downloadable as a file with the same content.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download kubeconfig" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("tether-prod.kubeconfig");
  expect(fs.readFileSync(await download.path(), "utf8")).toBe(text);
  await page.getByRole("button", { name: "I have saved the kubeconfig" }).click();
  await expect(page.getByLabel("Kubeconfig", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create kubeconfig" })).toBeFocused();

  // Its token is on the Access tokens page, revocable like any other.
  await page.goto("/settings/tokens");
  await expect(
    page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: `kubectl ${contextName}` }) }),
  ).toContainText("Active");

  // The CI job token mint API: credentials and a kubeconfig for the project's agent; outsiders get 404.
  const minted = await page.request.post(`/api/projects/${projectId}/ci-job-tokens`, {
    data: { jobName: "deploy", ttlMinutes: 10 },
  });
  expect(minted.status()).toBe(201);
  const body = (await minted.json()) as {
    token: string;
    credentialsFor: { agentName: string; contextName: string; credential: string; kubeconfig: string }[];
    kubeconfig: string;
  };
  expect(body.token).toMatch(/^tthr_ci_/);
  recordMintedSecret(body.token);
  expect(body.credentialsFor.map((c) => [c.agentName, c.contextName])).toEqual([["prod", contextName]]);
  expect(body.credentialsFor[0]!.credential).toMatch(new RegExp(`^ci:[a-z0-9]+:${body.token}$`));
  expect((parse(body.kubeconfig) as Kubeconfig)["current-context"]).toBe(contextName);
  expect(
    (
      await outsider.page.request.post(`/api/projects/${projectId}/ci-job-tokens`, { data: { jobName: "deploy" } })
    ).status(),
  ).toBe(404);
  expect((await outsider.page.goto(`/projects/${user.username}/apps/-/clusters/prod/connect`))?.status()).toBe(404);
  expect((await outsider.page.request.post(`/api/agents/${agentId}/kubeconfig`, { data: {} })).status()).toBe(404);
  // Only a JSON request makes a token (a cross-site form post cannot).
  expect((await page.request.post(`/api/agents/${agentId}/kubeconfig`, { form: { x: "1" } })).status()).toBe(415);
});
