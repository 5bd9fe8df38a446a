// The live view end to end: a real agent in the testbed cluster; a ConfigMap made with the testbed's
// kubectl appears in the table within 2 s and goes when deleted; with kas down the chip says
// Reconnecting, and Live again once kas is back (scripts/start.ts restarts it). The Overview counts the
// kwok node and a pod made with `kubectl run`, and its figures link to the filtered views; a row's drawer
// takes focus and closes on Escape; a link reopens the same kind, namespace and object; custom resources
// show their CRD's printer columns; the core group's other resources are in the picker's sections. A Secret's value
// (and kubectl's last-applied copy of it) never leaves the server; HTML in objects and events stays text.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./test";
import { KAS_PID_FILE, specCluster } from "./cluster";
import { chooseKind, createProjectAgent, kindOptions, kindPicker, newSignedInPage, type TestUser } from "./helpers";

const cluster = specCluster("live");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

/** A project named `name` with an agent `name` connected to the testbed; returns the Cluster tab's URL. */
async function connectAgent(page: Page, user: TestUser, name: string): Promise<string> {
  const { token, clusterUrl } = await createProjectAgent(page, user, name);
  cluster.startAgent(token, name);
  // The cluster as the project's owner sees it (impersonated): this cluster lets tether users view
  // everything, nodes included (the built-in view role leaves them out).
  await kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user").catch(
    () => undefined,
  );
  await kubectl("create", "clusterrole", "tether-node-reader", "--verb=get,list,watch", "--resource=nodes").catch(
    () => undefined,
  );
  await kubectl(
    "create",
    "clusterrolebinding",
    "tether-users-nodes",
    "--clusterrole=tether-node-reader",
    "--group=tether:user",
  ).catch(() => undefined);
  return clusterUrl;
}

test("objects made with kubectl appear and disappear live; the chip follows kas going away and coming back", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page, user } = await newSignedInPage(browser, "viewer");
  const clusterUrl = await connectAgent(page, user, "live");

  await page.goto(clusterUrl);
  await chooseKind(page, "ConfigMaps");
  const chip = page.locator("[data-live-status]");
  await expect(chip).toHaveText("Live", { timeout: 60_000 });
  await page.getByLabel("Namespace").selectOption("default");
  await expect(chip).toHaveText("Live");

  const name = `live-${Date.now().toString(36)}`;
  await kubectl("create", "configmap", name, "-n", "default", "--from-literal=color=blue");
  const row = page.locator(`[role=row][data-name="${name}"]`);
  await expect(row).toBeVisible({ timeout: 2_000 });
  await expect(row).toContainText(/(?<!\d)1 key(?!s)/);
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

test("the Overview counts the ready kwok node and a pod made with kubectl run as Running, and its figures open the filtered views", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "overview");
  const clusterUrl = await connectAgent(page, user, "overview");
  const namespace = `ov-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", namespace);

  await page.goto(clusterUrl);
  // The Overview is the first view.
  await expect(kindPicker(page)).toHaveValue("Overview");
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect(page.getByTestId("nodes-ready")).toHaveText("1/1");
  await page.getByLabel("Namespace").selectOption(namespace);
  await expect(page).toHaveURL(new RegExp(`namespace=${namespace}`));
  const running = page.locator('[data-phase="Running"] dd');
  await expect(running).toHaveText("0", { timeout: 10_000 });

  await kubectl("run", "web", "-n", namespace, "--image=nginx");
  await expect(running).toHaveText("1", { timeout: 15_000 });
  await expect(page.getByTestId("nodes-ready")).toHaveText("1/1");

  // A figure is a link, from the keyboard: Running 1 opens the Pods filtered to Running.
  await page.getByRole("link", { name: "Running pods: 1" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/kind=pods/);
  await expect(page).toHaveURL(/status=Running/);
  await expect(page.getByLabel("Namespace")).toHaveValue(namespace);
  const webRow = page.locator('[role=row][data-name="web"]');
  await expect(webRow).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^1 pod$/)).toBeVisible();
  // As kubectl get pods -o wide prints it: STATUS, READY, RESTARTS, NODE, IP; then images and the controller.
  await expect(webRow.getByRole("cell")).toHaveText([
    "web",
    namespace,
    "Running",
    "1/1",
    "0",
    "testbed-node-1",
    /^(\d+\.){3}\d+$/,
    "nginx",
    "",
    /^\d+s$/,
  ]);
  const statusFilter = page.getByLabel("Status", { exact: true });
  await expect(statusFilter).toHaveValue("Running");
  // The table holds pod summaries; the drawer shows the whole pod, containers included.
  await page.locator('[role=row][data-name="web"]').getByRole("button", { name: "web" }).click();
  await expect(page.getByRole("dialog", { name: "web details" }).getByRole("region", { name: "YAML" })).toContainText(
    "image: nginx",
  );
  await page.keyboard.press("Escape");
  await statusFilter.selectOption("");
  await expect(page).not.toHaveURL(/status=/);
  await chooseKind(page, "Overview");
  await expect(page.getByRole("link", { name: "Nodes ready: 1 of 1" })).toBeVisible({ timeout: 30_000 });
});

test("a Pending pod reads Ready 0/1, as kubectl prints it, not 0/0", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "pending");
  const clusterUrl = await connectAgent(page, user, "pending");
  const namespace = `pending-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", namespace);
  // No node matches: the pod stays Pending, with no container statuses.
  await kubectl(
    "run",
    "queued",
    "-n",
    namespace,
    "--image=nginx",
    "--overrides",
    JSON.stringify({ spec: { nodeSelector: { "tether.test/nowhere": "true" } } }),
  );
  await page.goto(`${clusterUrl}?kind=pods&namespace=${namespace}`);
  const row = page.locator('[role=row][data-name="queued"]');
  await expect(row.getByRole("cell")).toHaveText(
    ["queued", namespace, "Pending", "0/1", "0", "", "", "nginx", "", /^\d+s$/],
    {
      timeout: 60_000,
    },
  );
});

test("a link to a table asks for its live stream once, from the page's HTML, and follows the cluster on it; a warm table's first rows are in the HTML", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "early");
  const clusterUrl = await connectAgent(page, user, "early");
  const namespace = `early-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", namespace);
  await kubectl("create", "configmap", "first", "-n", namespace);
  // The page starts the stream early only for an agent that has been in touch (its first heartbeat recorded).
  const view = `${clusterUrl}?kind=configmaps&namespace=${namespace}`;
  await expect
    .poll(async () => (await page.request.get(view)).text(), { timeout: 60_000 })
    .toContain("__tetherEarlyLiveStream");
  const streams: { url: string; type: string }[] = [];
  page.on("request", (r) => {
    if (/\/api\/agents\/[^/]+\/live\?/.test(r.url())) streams.push({ url: r.url(), type: r.resourceType() });
  });
  // The HTML's script reads the stream in a dedicated worker (the page's CSP lets it start one from a blob).
  const workers: string[] = [];
  page.on("worker", (w) => workers.push(w.url()));
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await page.goto(view);
  await expect(page.locator('[role=row][data-name="first"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator("[data-live-status]")).toHaveText("Live");
  await kubectl("create", "configmap", "second", "-n", namespace);
  await expect(page.locator('[role=row][data-name="second"]')).toBeVisible({ timeout: 2_000 });
  expect(workers).toEqual([expect.stringMatching(/^blob:/)]);
  expect(refused).toEqual([]);
  // One stream, the one the HTML started before the page's scripts ran (a fetch, not an EventSource).
  expect(streams).toEqual([
    { url: expect.stringContaining(`%2Fnamespaces%2F${namespace}%2Fconfigmaps`), type: "fetch" },
  ]);
  // With the table open, web's cluster cache holds its collections: the HTML itself has the first rows (and
  // the whole table's count), before any script runs. A view nobody has open has none: it waits for the stream.
  const html = await (await page.request.get(view)).text();
  expect(html).toContain('data-name="first"');
  expect(html).toContain('data-name="second"');
  const cold = await (await page.request.get(`${clusterUrl}?kind=configmaps&namespace=${namespace}-none`)).text();
  expect(cold).not.toContain('role="row" aria-rowindex');
  expect(cold).toContain("Loading configmaps");
  // Another kind from the picker opens its own stream; the early one is not used again.
  await chooseKind(page, "Secrets");
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 30_000 });
  expect(streams.map((s) => s.type)).toEqual(["fetch", "eventsource"]);
  await kubectl("delete", "namespace", namespace, "--wait=false");
});

test("a search and a label selector typed into the server's first rows before the page's scripts ran apply once they run", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "typed");
  const clusterUrl = await connectAgent(page, user, "typed");
  const namespace = `typed-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", namespace);
  for (const name of ["alpha", "beta", "gamma"]) await kubectl("create", "configmap", name, "-n", namespace);
  await kubectl("label", "configmap", "alpha", "-n", namespace, "tier=web");
  const view = `${clusterUrl}?kind=configmaps&namespace=${namespace}`;
  // A viewer with the table open keeps web's cluster cache warm, so the HTML itself has the first rows.
  await page.goto(view);
  await expect(page.locator('[role=row][data-name="gamma"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator("[data-live-status]")).toHaveText("Live");
  /** The view in a new tab whose scripts wait until `type` has typed, as on a slow connection or a busy machine. */
  const typedBeforeScripts = async (type: (p: Page) => Promise<void>): Promise<Page> => {
    const tab = await page.context().newPage();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await tab.route("**/_next/static/chunks/*.js", async (route) => {
      await released;
      await route.continue();
    });
    await tab.goto(view, { waitUntil: "domcontentloaded" });
    // The server's first rows (the namespace's kube-root-ca.crt too), before any script ran.
    for (const name of ["alpha", "beta", "gamma"])
      await expect(tab.locator(`[role=row][data-name="${name}"]`)).toBeVisible();
    await type(tab);
    release();
    await expect(tab.locator("[data-live-status]")).toHaveText("Live", { timeout: 30_000 });
    return tab;
  };
  const searched = await typedBeforeScripts((tab) => tab.getByLabel("Search").fill("gam"));
  await expect(searched.locator("[role=row][data-name]")).toHaveCount(1);
  await expect(searched.locator('[role=row][data-name="gamma"]')).toBeVisible();
  await expect(searched).toHaveURL(/[?&]q=gam(&|$)/);
  // A selector typed and left (Tab applies it, as leaving the field does) is applied once the scripts run.
  const labelled = await typedBeforeScripts(async (tab) => {
    await tab.getByLabel("Label selector").fill("tier=web");
    await tab.keyboard.press("Tab");
  });
  await expect(labelled).toHaveURL(/[?&]selector=tier%3Dweb(&|$)/);
  await expect(labelled.locator("[role=row][data-name]")).toHaveCount(1);
  await expect(labelled.locator('[role=row][data-name="alpha"]')).toBeVisible();
  await kubectl("delete", "namespace", namespace, "--wait=false");
});

test("a row opens a drawer that takes focus and closes on Escape; a link reopens the kind, namespace and object", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "drawer");
  const clusterUrl = await connectAgent(page, user, "drawer");
  const name = `drawer-${Date.now().toString(36)}`;
  await kubectl("create", "configmap", name, "-n", "default", "--from-literal=color=blue");
  await kubectl("label", "configmap", name, "-n", "default", "team=blue");

  await page.goto(clusterUrl);
  await chooseKind(page, "ConfigMaps");
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await page.getByLabel("Namespace").selectOption("default");
  await page.getByLabel("Search").fill(name.slice(0, 9));
  await page.locator(`[role=row][data-name="${name}"]`).getByRole("button", { name }).click();
  const drawer = page.getByRole("dialog", { name: `${name} details` });
  await expect(drawer).toBeVisible();
  await expect(drawer).toBeFocused();
  await expect(drawer.getByRole("region", { name: "Labels" })).toContainText("team=blue");
  await expect(drawer.getByRole("region", { name: "YAML" })).toContainText("color: blue");
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  // The URL now names the view; opening the same object's link in a fresh page shows it again.
  await expect(page).toHaveURL(/kind=configmaps/);
  const link = new URL(page.url());
  link.searchParams.set("open", `default/${name}`);
  const other = await page.context().newPage();
  await other.goto(link.toString());
  await expect(kindPicker(other)).toHaveValue("ConfigMaps");
  await expect(other.getByLabel("Namespace")).toHaveValue("default");
  await expect(other.getByLabel("Search")).toHaveValue(name.slice(0, 9));
  await expect(other.getByRole("dialog", { name: `${name} details` })).toBeVisible({ timeout: 60_000 });
  await kubectl("delete", "configmap", name, "-n", "default");
});

/** Reads the page's own live stream (`url`, as its EventSource opened it) until `until` appears or 15 s pass. */
async function readLiveStream(page: Page, url: string, until: string): Promise<string> {
  return page.evaluate(
    async ({ url, until }) => {
      const controller = new AbortController();
      const res = await fetch(url, { signal: controller.signal, headers: { accept: "text/event-stream" } });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const end = Date.now() + 15_000;
      while (!text.includes(until) && Date.now() < end) {
        const next = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, end - Date.now()))),
        ]);
        if (!next || next.done) break;
        text += decoder.decode(next.value, { stream: true });
      }
      controller.abort();
      return text;
    },
    { url, until },
  );
}

test("a Secret applied with kubectl: its value and last-applied annotation reach neither the live stream, the object request nor the page; its key names do", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "secret");
  const clusterUrl = await connectAgent(page, user, "secret");
  // The built-in view role leaves Secrets out: in this cluster Tether users may read those of default.
  await kubectl(
    "create",
    "role",
    "tether-secret-reader",
    "-n",
    "default",
    "--verb=get,list,watch",
    "--resource=secrets",
  ).catch(() => undefined);
  await kubectl(
    "create",
    "rolebinding",
    "tether-secret-reader",
    "-n",
    "default",
    "--role=tether-secret-reader",
    "--group=tether:user",
  ).catch(() => undefined);
  const name = `secret-${Date.now().toString(36)}`;
  const value = Buffer.from("hunter2-sesame").toString("base64");
  // kubectl apply keeps the whole object, value included, in the last-applied-configuration annotation.
  const file = path.join(cluster.workDir, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  password: ${value}\n`,
  );
  await kubectl("apply", "-f", file);
  const applied = JSON.parse((await kubectl("get", "secret", name, "-n", "default", "-o", "json")).stdout) as {
    metadata: { annotations: Record<string, string> };
  };
  expect(applied.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain(value);

  const liveRequest = page.waitForRequest((r) => r.url().includes("/live?"));
  await page.goto(`${clusterUrl}?kind=secrets&namespace=default&q=${name}`);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  const stream = await readLiveStream(page, (await liveRequest).url(), name);
  expect(stream).toContain(name);
  expect(stream).not.toContain(value);
  expect(stream).not.toContain("last-applied-configuration");

  const objectResponse = page.waitForResponse((r) => r.url().includes("/object?"));
  await page.locator(`[role=row][data-name="${name}"]`).getByRole("button", { name }).click();
  const body = await (await objectResponse).text();
  expect(body).toContain("password");
  expect(body).not.toContain(value);
  expect(body).not.toContain("last-applied-configuration");
  const drawer = page.getByRole("dialog", { name: `${name} details` });
  const yaml = drawer.getByRole("region", { name: "YAML" });
  // The key and its size ("hunter2-sesame" is 14 bytes), as kubectl describe says it; the YAML says the same.
  await expect(drawer.getByRole("region", { name: "Data" })).toContainText("passwordhidden (14 bytes)");
  await expect(yaml).toContainText("password: hidden (14 bytes)");
  await expect(page.locator("body")).not.toContainText(value);
  await expect(page.locator("body")).not.toContainText("hunter2-sesame");
  const html = await page.content();
  expect(html).not.toContain(value);
  expect(html).not.toContain("last-applied-configuration");
  await kubectl("delete", "secret", name, "-n", "default");
});

test("a ConfigMap's annotation and data and a Warning event's message that hold HTML are shown as text; no script runs", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "markup");
  const clusterUrl = await connectAgent(page, user, "markup");
  const ran: string[] = [];
  page.on("dialog", (d) => {
    ran.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const name = `markup-${Date.now().toString(36)}`;
  const annotation = `<img src=x onerror="window.__pwned='annotation'">`;
  const data = `<script>window.__pwned='data'</script><b>bold?</b>`;
  const message = `<img src=x onerror="alert('event')"> pulled <a href="javascript:alert(1)">here</a>`;
  const file = path.join(cluster.workDir, `${name}.yaml`);
  fs.writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      `  name: ${name}`,
      "  namespace: default",
      "  annotations:",
      `    tether.test/note: ${JSON.stringify(annotation)}`,
      "data:",
      `  page: ${JSON.stringify(data)}`,
      "---",
      "apiVersion: v1",
      "kind: Event",
      "metadata:",
      `  name: ${name}.probe`,
      "  namespace: default",
      "involvedObject:",
      "  kind: ConfigMap",
      `  name: ${name}`,
      "  namespace: default",
      "type: Warning",
      "reason: Tampered",
      `message: ${JSON.stringify(message)}`,
      `lastTimestamp: "${new Date().toISOString().replace(/\.\d+Z$/, "Z")}"`,
      "count: 1",
      "source:",
      "  component: e2e",
    ].join("\n"),
  );
  await kubectl("apply", "-f", file);

  // The Overview lists the Warning event with its message as text.
  await page.goto(`${clusterUrl}?namespace=default`);
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  const warnings = page.getByRole("region", { name: "Recent warnings" });
  await expect(warnings.getByText(message, { exact: true })).toBeVisible({ timeout: 15_000 });

  // The Events table and the ConfigMap's drawer show the markup as text too.
  await page.goto(`${clusterUrl}?kind=events&namespace=default&q=${name}`);
  await expect(page.locator(`[role=row][data-name="${name}.probe"]`)).toContainText("pulled", { timeout: 15_000 });
  await page.goto(`${clusterUrl}?kind=configmaps&namespace=default&q=${name}`);
  await page.locator(`[role=row][data-name="${name}"]`).getByRole("button", { name }).click();
  const yaml = page.getByRole("dialog", { name: `${name} details` }).getByRole("region", { name: "YAML" });
  await expect(yaml).toContainText("<img src=x onerror=");
  await expect(yaml).toContainText("<script>window.__pwned='data'</script>");

  // Nothing of it became markup, and no handler ran.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("b", { hasText: "bold?" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(ran).toEqual([]);
  await kubectl("delete", "-f", file);
});

test("a custom resource the cluster serves is under Custom resources in the kind picker, with its CRD's printer columns, Flux's Ready among them", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "custom");
  const clusterUrl = await connectAgent(page, user, "custom");
  // Flux's GitRepository, reduced to what the view reads, with Flux's printer columns: no status
  // subresource, so status is set on create.
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "gitrepositories.source.toolkit.fluxcd.io" },
    spec: {
      group: "source.toolkit.fluxcd.io",
      names: {
        kind: "GitRepository",
        plural: "gitrepositories",
        singular: "gitrepository",
        listKind: "GitRepositoryList",
      },
      scope: "Namespaced",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          additionalPrinterColumns: [
            { jsonPath: ".spec.url", name: "URL", type: "string" },
            { jsonPath: ".metadata.creationTimestamp", name: "Age", type: "date" },
            { jsonPath: '.status.conditions[?(@.type=="Ready")].status', name: "Ready", type: "string" },
            { jsonPath: '.status.conditions[?(@.type=="Ready")].message', name: "Status", type: "string" },
          ],
        },
      ],
    },
  };
  const reader = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "tether-flux-reader" },
    rules: [
      { apiGroups: ["source.toolkit.fluxcd.io"], resources: ["gitrepositories"], verbs: ["get", "list", "watch"] },
      // Printer columns come from the CRD, read as the viewer.
      { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list"] },
    ],
  };
  const apply = async (o: object) => {
    const file = path.join(cluster.workDir, `${(o as { metadata: { name: string } }).metadata.name}.json`);
    fs.writeFileSync(file, JSON.stringify(o));
    await kubectl("apply", "-f", file);
  };
  await apply(crd);
  await apply(reader);
  await kubectl(
    "create",
    "clusterrolebinding",
    "tether-users-flux",
    "--clusterrole=tether-flux-reader",
    "--group=tether:user",
  ).catch(() => undefined);
  await kubectl("wait", "--for=condition=Established", "crd/gitrepositories.source.toolkit.fluxcd.io", "--timeout=30s");
  await apply({
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: "podinfo", namespace: "default" },
    spec: { url: "https://github.com/stefanprodan/podinfo", interval: "1m" },
    status: {
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "GitOperationFailed",
          message: "failed to checkout",
          lastTransitionTime: "2026-01-01T00:00:00Z",
        },
      ],
    },
  });

  await page.goto(clusterUrl);
  // The picker lists it under Custom resources once discovery answers; its API group finds it.
  await kindPicker(page).click();
  await expect(
    (await kindOptions(page))
      .getByRole("group", { name: "Custom resources" })
      .getByRole("option", { name: "GitRepository (source.toolkit.fluxcd.io)", exact: true }),
  ).toBeVisible({ timeout: 30_000 });
  await chooseKind(page, "GitRepository (source.toolkit.fluxcd.io)", "fluxcd");
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  const table = page.getByRole("table", { name: "GitRepository (source.toolkit.fluxcd.io)" });
  await expect(table.getByRole("columnheader")).toHaveText(["Name", "Namespace", "URL", "Ready", "Status", "Age"]);
  const row = page.locator('[role=row][data-name="podinfo"]');
  await expect(row.getByRole("cell")).toHaveText([
    "podinfo",
    "default",
    "https://github.com/stefanprodan/podinfo",
    "False",
    "failed to checkout",
    /^\d+s$/,
  ]);
  await row.getByRole("button", { name: "podinfo" }).click();
  await expect(
    page.getByRole("dialog", { name: "podinfo details" }).getByRole("region", { name: "Conditions" }),
  ).toContainText("failed to checkout");
});

test("the core group's other resources are in the picker's sections: a PersistentVolumeClaim and a ServiceAccount made with kubectl", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "core");
  const clusterUrl = await connectAgent(page, user, "core");
  const name = `claim-${Date.now().toString(36)}`;
  const file = path.join(cluster.workDir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name, namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    }),
  );
  await kubectl("apply", "-f", file);
  await kubectl("create", "serviceaccount", name, "-n", "default");

  await page.goto(clusterUrl);
  await kindPicker(page).click();
  const options = await kindOptions(page);
  await expect(
    options.getByRole("group", { name: "Config and storage" }).getByRole("option", { name: "PersistentVolumeClaim" }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(
    options.getByRole("group", { name: "Access control" }).getByRole("option", { name: "ServiceAccount" }),
  ).toBeVisible();
  await page.keyboard.press("Escape");
  // kubectl's short name finds it.
  await chooseKind(page, "PersistentVolumeClaim", "pvc");
  await expect(page.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect(page.locator(`[role=row][data-name="${name}"]`)).toBeVisible();
  await chooseKind(page, "ServiceAccount", "serviceacc");
  await page.getByLabel("Namespace").selectOption("default");
  await expect(page.locator(`[role=row][data-name="${name}"]`)).toBeVisible({ timeout: 10_000 });
  await kubectl("delete", "serviceaccount", name, "-n", "default");
  await expect(page.locator(`[role=row][data-name="${name}"]`)).toHaveCount(0, { timeout: 2_000 });
  await kubectl("delete", "-f", file);
});
