// A receptive agent end to end, against the real product and a real cluster: a maintainer registers the
// agent in the wizard choosing "Tether can reach my cluster" (the install commands are the receptive
// ones), adds its URL configuration with a generated key pair on the Receptive tab, and sees kas fail to
// reach the URL with the reason, on the tab and in the agent list (Receptive badge). The test starts the
// real agent process listening there with the public key downloaded from the page; the page turns
// Connected and the Cluster tab shows the cluster's objects through the dialled connection. A new key
// pair makes the running agent refuse kas ("agent refused our key"); restarted with the new public key,
// it is Connected again without any other step.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./test";
import { makeTestPki } from "../kas/receptive/test-pki";
import { freePort } from "../testbed/cluster";
import { specCluster } from "./cluster";
import { chooseKind, newSignedInPage } from "./helpers";

const cluster = specCluster("receptive");

/** Downloads the public key from the Receptive tab (the file the install commands read). */
async function downloadPublicKey(page: Page, agentName: string): Promise<string> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: `Download the public key as ${agentName}-receptive.pub` }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe(`${agentName}-receptive.pub`);
  const text = fs.readFileSync((await d.path())!, "utf8");
  expect(text).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
  return text;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

test("a receptive agent: registered in the UI, kas reports why it cannot reach it, then Connected with the cluster's objects; a wrong key is reported and a restart with the new key reconnects", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const { page, user } = await newSignedInPage(browser, "recept");
  const project = "vpn-cluster";
  const agentName = "behind-vpn";
  expect(
    (
      await page.request.post("/api/projects", { data: { name: project, path: project, namespace: user.username } })
    ).status(),
  ).toBe(201);
  const clustersUrl = `/projects/${user.username}/${project}/-/clusters`;
  const agentUrl = `${clustersUrl}/${agentName}`;

  // The wizard: "Tether can reach my cluster", then the token and the receptive install commands.
  await page.goto(clustersUrl);
  await page.getByRole("button", { name: "Register an agent" }).click();
  await page.getByLabel(/Tether can reach my cluster/).check();
  await page.getByLabel("Agent name").fill(agentName);
  await page.getByRole("button", { name: "Register agent" }).click();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: `Token for ${agentName} created` })).toBeVisible();
  const token = await page.getByLabel("Agent token").inputValue();
  const helm = (await page.getByLabel("Helm command", { exact: true }).textContent()) ?? "";
  expect(helm).toContain(
    `kubectl -n tether-agent create secret tls ${agentName}-tether-agent-receptive-tls --cert=agent.crt --key=agent.key`,
  );
  expect(helm).toContain("--set receptive.enabled=true");
  expect(helm).toContain(`--set-file receptive.jwtPublicKey=${agentName}-receptive.pub`);
  expect(helm).not.toContain("kasAddress");
  await page.getByText("Or install with kubectl (plain manifest)").click();
  const manifest = (await page.getByLabel("Agent manifest").textContent()) ?? "";
  expect(manifest).toContain(`token: "${token}"`);
  expect(manifest).toContain("- --receptive");
  expect(manifest).not.toContain("--kas-address");

  // The Receptive tab: a URL configuration with a key pair Tether generates.
  await page.getByRole("link", { name: "Receptive tab" }).click();
  await expect(page).toHaveURL(new RegExp(`${agentUrl}/receptive$`));
  await expect(page.getByRole("heading", { name: "The agent dials kas" })).toBeVisible();
  await page.getByRole("button", { name: "Add a URL configuration" }).click();
  const pki = await makeTestPki();
  const port = await freePort();
  const url = `grpcs://127.0.0.1:${port}`;
  await page.getByLabel("Agent URL").fill(url);
  await page.getByLabel("CA certificate (optional)").fill(pki.serverCa.cert);
  await page.getByLabel("TLS server name (optional)").fill("localhost");
  await page.getByRole("button", { name: "Save" }).click();

  // Nothing listens there yet: the tab says why kas cannot reach it, and when it retries.
  const receptive = page.getByRole("region", { name: "Receptive agent" });
  const state = receptive.getByRole("status");
  const unreachable = new RegExp(
    `^kas cannot reach grpcs://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED \\(retrying in \\d+ s\\)`,
  );
  await expect(state).toContainText(unreachable, { timeout: 30_000 });
  await expect(state).toContainText("Last successful contact: never");
  await expect(receptive.getByText(url, { exact: true })).toBeVisible();
  const publicKey = await downloadPublicKey(page, agentName);
  await expect(page.getByRole("region", { name: "Helm values" })).toContainText(publicKey.trim().split("\n")[1]!);

  // The agent list: the row is marked Receptive and says the same.
  await page.goto(clustersUrl);
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(agentName) }) });
  await expect(row.getByText("Receptive", { exact: true })).toBeVisible();
  await expect(row.getByText("Never connected", { exact: true })).toBeVisible();
  await expect(row.getByText(unreachable)).toBeVisible();

  // The real agent, listening with its TLS certificate and the public key from the page.
  const files = {
    cert: path.join(cluster.workDir, "agent.crt"),
    key: path.join(cluster.workDir, "agent.key"),
    pub: path.join(cluster.workDir, "receptive.pub"),
  };
  fs.writeFileSync(files.cert, pki.server.cert);
  fs.writeFileSync(files.key, pki.server.key, { mode: 0o600 });
  const startReceptiveAgent = (pub: string, name: string) => {
    fs.writeFileSync(files.pub, pub);
    return cluster.startAgent(token, name, undefined, [
      "--receptive",
      `--receptive-address=127.0.0.1:${port}`,
      `--receptive-cert-file=${files.cert}`,
      `--receptive-key-file=${files.key}`,
      `--receptive-jwt-public-key-file=${files.pub}`,
    ]);
  };
  let agent = startReceptiveAgent(publicKey, "receptive");
  await expect(row.getByText("Connected", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(row.getByText(unreachable)).toHaveCount(0);
  await expect(row.getByText("Receptive", { exact: true })).toBeVisible();

  await page.goto(`${agentUrl}/receptive`);
  await expect(state).toContainText("Connected: kas dialled the agent");
  await expect(state).not.toContainText("Last successful contact: never");

  // The Cluster tab, through the dialled connection: an object made with the testbed's kubectl.
  await cluster
    .kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user")
    .catch(() => undefined);
  const cm = `dialled-${Date.now().toString(36)}`;
  await cluster.kubectl("create", "configmap", cm, "-n", "default", "--from-literal=via=receptive");
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Cluster" }).click();
  await expect(page).toHaveURL(new RegExp(`${agentUrl}/cluster`));
  await chooseKind(page, "ConfigMaps");
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await page.getByLabel("Namespace").selectOption("default");
  await expect(page.locator(`[role=row][data-name="${cm}"]`)).toBeVisible({ timeout: 15_000 });

  // A new key pair: the running agent still has the old public key and refuses kas, which says so.
  await page.goto(`${agentUrl}/receptive`);
  await page.getByRole("button", { name: "Change" }).click();
  await page.getByLabel(/Generate a new key pair/).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(state).toContainText(
    /^agent refused our key: the handshake token is not signed by our key \(retrying in \d+ s\)/,
    { timeout: 30_000 },
  );
  const rotated = await downloadPublicKey(page, agentName);
  expect(rotated).not.toBe(publicKey);
  await page.goto(clustersUrl);
  await expect(row.getByText(/^agent refused our key/)).toBeVisible({ timeout: 15_000 });

  // Restarted with the new public key, the agent is Connected again; nothing else was done.
  await stop(agent);
  agent = startReceptiveAgent(rotated, "receptive-rotated");
  await expect(row.getByText("Connected", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(row.getByText(/^agent refused our key/)).toHaveCount(0);
});
