// Public addresses end to end. With loopback addresses (the default the suite runs with), the wizard,
// the kubeconfig tab and its CI panel say what will not work and which setting fixes it. A second
// Tether started with TETHER_PUBLIC_URL, TETHER_KAS_PUBLIC_AGENT_URL and TETHER_KAS_K8S_PROXY_PUBLIC_URL
// prints them in every command, kubeconfig and snippet (no loopback left) and warns about nothing; its
// admin page lists them.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "./test";
import { newSignedInPage, newUser, registerAgentInWizard, signUpAs } from "./helpers";
import { e2eServer, productServer } from "./product-server";

const root = path.resolve(__dirname, "..");

test("with loopback addresses, the wizard, the kubeconfig tab and the CI panel say what will not work and which setting fixes it", async ({
  browser,
}) => {
  const { page, user } = await newSignedInPage(browser, "loop");
  await registerAgentInWizard(page, user.username, "loop", "edge");
  const install = page.getByLabel("Address warnings");
  await expect(install.getByRole("note")).toHaveText([
    `An agent in a cluster cannot reach ${e2eServer.kasAgentAddress}: inside a pod, 127.0.0.1 is the pod itself, so the agent installed with these values never connects. Set TETHER_KAS_PUBLIC_AGENT_URL to the address they can reach (for example grpcs://kas.example.com:443) and restart Tether.`,
    `On another computer, helm repo add cannot reach ${e2eServer.baseUrl}/charts: there, localhost is that computer itself. Set TETHER_PUBLIC_URL to the address they can reach (for example https://tether.example.com) and restart Tether.`,
  ]);

  await page.goto(`/projects/${user.username}/loop/-/clusters/edge/connect`);
  await expect(page.getByLabel("Kubeconfig address warnings").getByRole("note")).toHaveText(
    `This kubeconfig works only on the machine that runs Tether: on any other computer, 127.0.0.1 in ${e2eServer.kasK8sProxyUrl} is that computer itself. Set TETHER_KAS_K8S_PROXY_PUBLIC_URL to the address they can reach (for example https://kas.example.com:8154) and restart Tether.`,
  );
  const ci = page.getByLabel("CI address warnings").getByRole("note");
  await expect(ci).toHaveCount(2);
  await expect(ci.nth(0)).toContainText(
    `A CI job cannot mint its token at ${e2eServer.baseUrl}: on a runner, localhost is the runner itself. Set TETHER_PUBLIC_URL`,
  );
  await expect(ci.nth(1)).toContainText(
    `A CI job cannot reach the k8s-proxy at ${e2eServer.kasK8sProxyUrl}: on a runner, 127.0.0.1 is the runner itself. Set TETHER_KAS_K8S_PROXY_PUBLIC_URL`,
  );
});

test.describe("a Tether with public addresses set", () => {
  const server = productServer(e2eServer.port + 50);
  const PUBLIC = {
    TETHER_PUBLIC_URL: "https://tether.example.com",
    TETHER_KAS_PUBLIC_AGENT_URL: "grpcs://kas.example.com:443",
    TETHER_KAS_K8S_PROXY_PUBLIC_URL: "https://kas.example.com:8154",
  };
  let proc: ChildProcess | undefined;

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    // Its own process group, so that start.ts, next and kas stop together.
    proc = spawn("bash", ["-c", server.command], {
      cwd: root,
      env: { ...process.env, ...server.env, ...PUBLIC },
      stdio: "ignore",
      detached: true,
    });
    const deadline = Date.now() + 240_000;
    for (;;) {
      const ok = await fetch(`${server.baseUrl}/sign-in`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (proc.exitCode !== null) throw new Error(`the second Tether exited with ${proc.exitCode}`);
      if (Date.now() > deadline) throw new Error(`the second Tether did not answer on ${server.baseUrl} within 240 s`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  });

  test.afterAll(async () => {
    if (proc?.pid && proc.exitCode === null) {
      const exited = new Promise((r) => proc!.once("exit", r));
      process.kill(-proc.pid, "SIGTERM");
      await exited;
    }
  });

  test("every printed command, kubeconfig and snippet uses them, with no warning; the admin page lists them", async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    // The first account of this installation is its administrator.
    const admin = newUser("pubadmin");
    await signUpAs(page, admin);

    await page.goto("/admin");
    const addresses = page.getByRole("table", {
      name: "Where people, clusters, kubectl and CI jobs reach this installation",
    });
    const row = (name: string) => addresses.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
    await expect(row("Web (people, the REST API, helm repo add)")).toContainText(
      "TETHER_PUBLIC_URLhttps://tether.example.comSet",
    );
    await expect(row("Agent server (agents in clusters dial it)")).toContainText(
      "TETHER_KAS_PUBLIC_AGENT_URLgrpcs://kas.example.com:443Set",
    );
    await expect(row("k8s-proxy (kubectl and CI jobs)")).toContainText(
      "TETHER_KAS_K8S_PROXY_PUBLIC_URLhttps://kas.example.com:8154Set",
    );
    await expect(addresses.getByText("Loopback")).toHaveCount(0);

    await registerAgentInWizard(page, admin.username, "public", "prod");
    await expect(page.getByLabel("Address warnings")).toHaveCount(0);
    const helm = (await page.getByLabel("Helm command", { exact: true }).textContent()) ?? "";
    expect(helm).toContain("config.kasAddress=grpcs://kas.example.com:443");
    const repoAdd = (await page.getByLabel("Add the Helm repository", { exact: true }).textContent()) ?? "";
    expect(repoAdd).toBe("helm repo add tether https://tether.example.com/charts\nhelm repo update tether");
    const withSecret = (await page.getByLabel("Helm command with a Secret", { exact: true }).textContent()) ?? "";
    expect(withSecret).toContain("--set config.kasAddress=grpcs://kas.example.com:443");
    await page.getByText("Or install with kubectl (plain manifest)").click();
    const manifest = (await page.getByLabel("Agent manifest").textContent()) ?? "";
    expect(manifest).toContain("--kas-address=grpcs://kas.example.com:443");
    for (const printed of [repoAdd, helm, withSecret, manifest]) expect(printed).not.toMatch(/127\.0\.0\.1|localhost/);

    await page.goto(`/projects/${admin.username}/public/-/clusters/prod/connect`);
    await expect(page.getByText("https://kas.example.com:8154", { exact: true })).toBeVisible();
    await expect(page.getByRole("note")).toHaveCount(0);
    const mint = (await page.getByLabel("Mint a CI job token").textContent()) ?? "";
    expect(mint).toContain("curl -sS -X POST https://tether.example.com/api/projects/");
    await page.getByRole("button", { name: "Create kubeconfig" }).click();
    const kubeconfig = (await page.getByLabel("Kubeconfig", { exact: true }).textContent()) ?? "";
    expect(kubeconfig).toContain("server: https://kas.example.com:8154");
    for (const printed of [mint, kubeconfig]) expect(printed).not.toMatch(/127\.0\.0\.1|localhost/);
    await context.close();
  });
});
