// Installing an agent without Tether's source, end to end: the wizard prints `helm repo add` for
// Tether's own Helm repository and a pinned `helm upgrade --install`; the test runs them with the real
// helm against the running product (`helm template` in place of the install, the testbed has no
// image to run), then has the testbed's API server validate the result (kubectl apply
// --dry-run=server). The Secret variant runs for real: the downloaded token file becomes a Secret.
// Then the wizard's last step: it waits for the agent, turns Connected when a real agent starts with
// the printed address and token, and after a minute without contact lists the likely causes.
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadAllYaml } from "@kubernetes/client-node";
import { expect, test } from "./test";
import { KAS_VERSION } from "../lib/common/release";
import { ensureHelm } from "../testbed/helm";
import { specCluster } from "./cluster";
import { newSignedInPage, registerAgentInWizard } from "./helpers";
import { e2eServer } from "./product-server";

const run = promisify(execFile);
const cluster = specCluster("install");

/** A printed command as argv: line continuations joined, split on blanks (the wizard quotes nothing here). */
function argv(command: string): string[] {
  return command.replace(/ \\\n/g, " ").trim().split(/\s+/);
}

/** The printed `helm upgrade --install …` as `helm template …`: the same chart, version and values, rendered. */
function asTemplate(command: string): string[] {
  const args = argv(command);
  expect(args.slice(0, 3)).toEqual(["helm", "upgrade", "--install"]);
  return ["template", ...args.slice(3).filter((a) => a !== "--create-namespace")];
}

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: {
    template?: {
      spec?: {
        containers?: { image: string; args?: string[] }[];
        volumes?: { name: string; secret?: { secretName: string } }[];
      };
    };
  };
}

test("helm installs the agent from Tether's own repository with the wizard's commands, own image and Secret included", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const helm = await ensureHelm();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "tether-e2e-helm-"));
  // Its own helm config, cache and data: nothing of the machine's helm setup is read or changed.
  const helmEnv = {
    ...process.env,
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_DATA_HOME: path.join(home, "data"),
  };
  const { page, user } = await newSignedInPage(browser, "helm");
  const agentName = "edge-eu";
  await registerAgentInWizard(page, user.username, "edge", agentName);
  const token = await page.getByLabel("Agent token").inputValue();

  // The commands name the product's repository and pin the chart to the product's version.
  const repoAdd = (await page.getByLabel("Add the Helm repository", { exact: true }).textContent()) ?? "";
  expect(repoAdd).toBe(`helm repo add tether ${e2eServer.baseUrl}/charts\nhelm repo update tether`);
  await expect(
    page.getByText(`tether-agent ${KAS_VERSION}, from its own Helm repository at ${e2eServer.baseUrl}/charts`),
  ).toBeVisible();
  await expect(page.getByLabel("Helm command", { exact: true })).toHaveText(
    [
      `helm upgrade --install ${agentName} tether/tether-agent --version ${KAS_VERSION} \\`,
      "  --namespace tether-agent --create-namespace \\",
      `  --set config.kasAddress=${e2eServer.kasAgentAddress} \\`,
      `  --set config.token=${token}`,
    ].join("\n"),
  );

  // The image: where it comes from, and the admin's own registry in every command once named.
  await expect(
    page.getByText(
      `The chart runs tether/agent:${KAS_VERSION} by default. Tether does not publish that image to a public registry`,
    ),
  ).toBeVisible();
  await page.getByLabel("Image repository (your registry)").fill("Registry.acme.test/Agent");
  await expect(page.locator("#agent-image-repository-error")).toContainText("Lower-case letters");
  const ownImage = "registry.acme.test:5000/platform/tether-agent";
  await page.getByLabel("Image repository (your registry)").fill(ownImage);
  await page.getByLabel("Image tag").fill(`${KAS_VERSION}-acme`);
  await expect(page.getByLabel("Build and push the image", { exact: true })).toContainText(
    `docker build -f deploy/agent/Dockerfile -t ${ownImage}:${KAS_VERSION}-acme .\ndocker push ${ownImage}:${KAS_VERSION}-acme`,
  );
  const helmCommand = (await page.getByLabel("Helm command", { exact: true }).textContent()) ?? "";
  expect(helmCommand).toContain(`--set image.repository=${ownImage} \\\n  --set image.tag=${KAS_VERSION}-acme`);

  // The real helm: add the repository served by the product, render the pinned chart with the printed values.
  for (const line of repoAdd.split("\n")) {
    const [bin, ...args] = argv(line);
    expect(bin).toBe("helm");
    await run(helm, args, { env: helmEnv });
  }
  const search = await run(helm, ["search", "repo", "tether/tether-agent", "--versions", "-o", "json"], {
    env: helmEnv,
  });
  expect(JSON.parse(search.stdout)).toEqual([
    expect.objectContaining({ name: "tether/tether-agent", version: KAS_VERSION, app_version: KAS_VERSION }),
  ]);
  const rendered = await run(helm, asTemplate(helmCommand), { env: helmEnv });
  const objects = (loadAllYaml(rendered.stdout) as (K8sObject | null)[]).filter((o): o is K8sObject => o !== null);
  const deployment = objects.find((o) => o.kind === "Deployment")!;
  expect(deployment.metadata.name).toBe(`${agentName}-tether-agent`);
  expect(deployment.spec!.template!.spec!.containers![0]!.image).toBe(`${ownImage}:${KAS_VERSION}-acme`);
  expect(deployment.spec!.template!.spec!.containers![0]!.args).toContain(`--kas-address=${e2eServer.kasAgentAddress}`);

  // The testbed's API server accepts it (helm's --create-namespace made real first).
  await cluster.kubectl("create", "namespace", "tether-agent");
  const dryRun = await applyDryRun(rendered.stdout);
  expect(dryRun).toContain(`deployment.apps/${agentName}-tether-agent created (server dry run)`);
  expect(dryRun).toContain(`secret/${agentName}-tether-agent-token created (server dry run)`);

  // The Secret variant, for real: the downloaded token file becomes the Secret; the chart then creates none.
  await page.getByText("Keep the token out of shell history: install with a Secret").click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: `Download as ${agentName}.token` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${agentName}.token`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-e2e-secret-"));
  await download.saveAs(path.join(workDir, `${agentName}.token`));
  const withSecret = (await page.getByLabel("Helm command with a Secret", { exact: true }).textContent()) ?? "";
  expect(withSecret).not.toContain(token);
  const [shellPart, helmPart] = [
    withSecret.slice(0, withSecret.indexOf("helm upgrade")),
    withSecret.slice(withSecret.indexOf("helm upgrade")),
  ];
  // kubectl and the testbed's kubeconfig on PATH, as an admin's shell would have them.
  const kubectlDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-e2e-bin-"));
  fs.symlinkSync(cluster.testbed.kubectlPath, path.join(kubectlDir, "kubectl"));
  await run("bash", ["-euo", "pipefail", "-c", shellPart], {
    cwd: workDir,
    env: { ...process.env, PATH: `${kubectlDir}:${process.env.PATH}`, KUBECONFIG: cluster.testbed.kubeconfig },
  });
  expect(fs.existsSync(path.join(workDir, `${agentName}.token`))).toBe(false);
  const stored = await cluster.kubectl(
    "-n",
    "tether-agent",
    "get",
    "secret",
    `${agentName}-tether-agent-token`,
    "-o",
    "jsonpath={.data.token}",
  );
  expect(Buffer.from(stored.stdout, "base64").toString("utf8")).toBe(token);
  const renderedWithSecret = await run(helm, asTemplate(helmPart), { env: helmEnv });
  const secretObjects = (loadAllYaml(renderedWithSecret.stdout) as (K8sObject | null)[]).filter(
    (o): o is K8sObject => o !== null,
  );
  expect(secretObjects.filter((o) => o.kind === "Secret")).toEqual([]);
  const volumes = secretObjects.find((o) => o.kind === "Deployment")!.spec!.template!.spec!.volumes!;
  expect(volumes.find((v) => v.name === "token")!.secret!.secretName).toBe(`${agentName}-tether-agent-token`);
  expect(renderedWithSecret.stdout).not.toContain(token);
  expect(await applyDryRun(renderedWithSecret.stdout)).toContain(
    `deployment.apps/${agentName}-tether-agent created (server dry run)`,
  );

  // The rotate recipe switches the same Secret and restarts the same Deployment.
  await page.getByText("Rotate the token later").click();
  await expect(page.getByLabel("Rotate the token", { exact: true })).toContainText(
    `kubectl -n tether-agent rollout restart deployment/${agentName}-tether-agent`,
  );

  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.rmSync(kubectlDir, { recursive: true, force: true });
});

test("the wizard waits for the agent and turns Connected when a real agent starts with the printed address and token", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "wait");
  await registerAgentInWizard(page, user.username, "live", "live-eu");
  await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
  // The region's first status is what it says; a copy button's own status may follow.
  const status = page.getByRole("region", { name: "Agent connection" }).getByRole("status").first();
  await expect(status).toHaveText("Waiting for the agent to connect…");

  // Exactly what the wizard printed: the address from the Helm command, the token from its field.
  const helmCommand = (await page.getByLabel("Helm command", { exact: true }).textContent()) ?? "";
  const kasAddress = /--set config\.kasAddress=(\S+)/.exec(helmCommand)?.[1];
  expect(kasAddress).toBe(e2eServer.kasAgentAddress);
  const token = await page.getByLabel("Agent token").inputValue();
  cluster.startAgent(token, "live", kasAddress);

  await expect(status).toHaveText(/^Connected: Kubernetes v1\.\d+\.\d+, 1 node$/, { timeout: 60_000 });
  await expect(status).toHaveText(`Connected: Kubernetes v${TESTBED_DEFAULT_KUBERNETES}, 1 node`);
  await expect(page.getByRole("list", { name: "Likely causes" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
  const log = path.join(cluster.workDir, "live-agent.log");
  if (fs.existsSync(log)) await testInfo.attach("agent.log", { path: log, contentType: "text/plain" });
});

test("after a minute without contact, the wizard lists the three likely causes and the agent's log command", async ({
  browser,
}) => {
  const { page, user } = await newSignedInPage(browser, "late");
  // The browser's clock is the test's: a minute passes in an instant.
  await page.clock.install();
  await registerAgentInWizard(page, user.username, "quiet", "quiet-eu");
  const status = page.getByRole("region", { name: "Agent connection" }).getByRole("status").first();
  await expect(status).toHaveText("Waiting for the agent to connect…");
  await expect(page.getByRole("list", { name: "Likely causes" })).toHaveCount(0);

  await page.clock.fastForward("01:01");
  await expect(status).toHaveText("Still waiting for the agent to connect…");
  const causes = page.getByRole("list", { name: "Likely causes" }).getByRole("listitem");
  await expect(causes).toHaveCount(3);
  await expect(causes.nth(0)).toContainText(
    `kas is not reachable from the cluster. The agent dials ${e2eServer.kasAgentAddress}`,
  );
  await expect(causes.nth(0)).toContainText("set TETHER_KAS_PUBLIC_AGENT_URL");
  await expect(causes.nth(1)).toContainText("The token is wrong or revoked.");
  await expect(causes.nth(2)).toContainText("TLS does not match.");
  await expect(page.getByLabel("Agent log command", { exact: true })).toHaveText(
    "kubectl -n tether-agent logs deployment/quiet-eu-tether-agent --tail=50",
  );
});

async function applyDryRun(manifest: string): Promise<string> {
  const child = execFile(cluster.testbed.kubectlPath, [
    "--kubeconfig",
    cluster.testbed.kubeconfig,
    "apply",
    "--dry-run=server",
    "-f",
    "-",
  ]);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  child.stdin!.end(manifest);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return stdout;
}
