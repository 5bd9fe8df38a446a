// The live view end to end: a real agent in the testbed cluster; a ConfigMap made with the testbed's
// kubectl appears in the table within 2 s and goes when deleted; with kas down the chip says
// Reconnecting, and Live again once kas is back (scripts/start.ts restarts it).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { ensureTestbedBinaries } from "../testbed/build";
import { startTestbed, type Testbed } from "../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";
import { newSignedInPage } from "./helpers";

const run = promisify(execFile);
const root = path.resolve(__dirname, "..");
const port = Number(process.env.TETHER_E2E_PORT ?? 3107);
const KAS_AGENT_ADDRESS = `grpc://127.0.0.1:${8160 + (port - 3107)}`; // as playwright.config.ts
const KAS_PID_FILE = path.join(root, "data", port === 3107 ? "e2e" : `e2e-${port}`, "kas.pid"); // as playwright.config.ts

let testbed: Testbed | undefined;
let agent: ChildProcess | undefined;
let workDir = "";

test.beforeAll(async () => {
  test.setTimeout(240_000);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-e2e-live-"));
  await ensureTestbedBinaries(TESTBED_DEFAULT_KUBERNETES, () => {});
  testbed = await startTestbed({ dir: path.join(workDir, "testbed"), version: TESTBED_DEFAULT_KUBERNETES });
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  if (agent && agent.exitCode === null) {
    agent.kill("SIGTERM");
    await new Promise((r) => agent!.once("exit", r));
  }
  await testbed?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test("objects made with kubectl appear and disappear live; the chip follows kas going away and coming back", async ({ browser }) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "viewer");
  const created = await page.request.post("/api/projects", { data: { name: "Live", path: "live", namespace: user.username } });
  expect(created.status()).toBe(201);
  const projectId = ((await created.json()) as { project: { id: string } }).project.id;
  const registered = await page.request.post(`/api/projects/${projectId}/agents`, { data: { name: "live" } });
  expect(registered.status()).toBe(201);
  const agentId = ((await registered.json()) as { agent: { id: string } }).agent.id;
  const token = ((await (await page.request.post(`/api/agents/${agentId}/tokens`, { data: { name: "live" } })).json()) as { token: string }).token;
  const tokenFile = path.join(workDir, "agent-token");
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  const log = fs.openSync(path.join(workDir, "agent.log"), "a");
  agent = spawn(process.execPath, ["--import", "tsx", "agent/main.ts", `--kas-address=${KAS_AGENT_ADDRESS}`, `--token-file=${tokenFile}`, `--kubeconfig=${testbed!.kubeconfig}`, "--observability-address=127.0.0.1:0"], {
    cwd: root,
    stdio: ["ignore", log, log],
  });

  // The cluster as the project's owner sees it (impersonated): this cluster lets tether users view everything.
  const kubectl = (...args: string[]) => run(testbed!.kubectlPath, ["--kubeconfig", testbed!.kubeconfig, ...args]);
  await kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user").catch(() => undefined);

  await page.goto(`/projects/${user.username}/live/-/clusters/live/cluster`);
  await page.getByLabel("Kind").selectOption("configmaps");
  const chip = page.locator("[data-live-status]");
  await expect(chip).toHaveText("Live", { timeout: 60_000 });
  await page.getByLabel("Namespace").selectOption("default");
  await expect(chip).toHaveText("Live");

  const name = `live-${Date.now().toString(36)}`;
  await kubectl("create", "configmap", name, "-n", "default", "--from-literal=color=blue");
  const row = page.locator(`[role=row][data-name="${name}"]`);
  await expect(row).toBeVisible({ timeout: 2_000 });
  await expect(row).toContainText("1 keys");
  await kubectl("delete", "configmap", name, "-n", "default");
  await expect(row).toHaveCount(0, { timeout: 2_000 });

  // kas goes away: the page says so; start.ts brings kas back and the page goes Live again.
  const kasPid = Number(fs.readFileSync(KAS_PID_FILE, "utf8"));
  process.kill(kasPid, "SIGKILL");
  await expect(chip).toHaveText(/Reconnecting/, { timeout: 15_000 });
  await expect(chip).toHaveText("Live", { timeout: 60_000 });
  const after = `after-${Date.now().toString(36)}`;
  await kubectl("create", "configmap", after, "-n", "default");
  await expect(page.locator(`[role=row][data-name="${after}"]`)).toBeVisible({ timeout: 10_000 });
  await kubectl("delete", "configmap", after, "-n", "default");
});
