// Edit YAML from the object drawer, against the testbed: offered only when the cluster's RBAC lets the
// viewer update the object; malformed YAML is refused with its line and nothing is sent; Review shows the
// diff between the live object and the cluster's dry run; Apply changes the cluster and is audited; a
// change made meanwhile is a conflict in the cluster's words; a viewer without update rights is offered
// nothing and a forged request is refused with the cluster's message.
import { expect, test, type Page } from "./test";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("edit-yaml");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

async function untilCan(user: string, expected: "yes" | "no", ...what: string[]) {
  await expect
    .poll(
      async () =>
        (
          await kubectl("auth", "can-i", ...what, `--as=tether:user:${user}`).catch((e: { stdout?: string }) => e)
        ).stdout?.trim(),
      { timeout: 15_000 },
    )
    .toBe(expected);
}

async function openObject(page: Page, clusterUrl: string, kind: string, ns: string, name: string) {
  await page.goto(`${clusterUrl}?kind=${kind}&namespace=${ns}&open=${ns}/${name}`);
  const drawer = page.getByRole("dialog", { name: `${name} details` });
  await expect(drawer).toBeVisible({ timeout: 60_000 });
  return drawer;
}

/** The editor's text, one CodeMirror line element per line. */
async function editorText(page: Page, label: string): Promise<string> {
  return (await page.getByRole("textbox", { name: label }).locator(".cm-line").allTextContents()).join("\n");
}

test("a ConfigMap edited in the drawer: dry-run diff, applied, audited; no Edit for a viewer without update, a forged edit refused", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const stamp = Date.now().toString(36);
  const alice = await newSignedInPage(browser, "editor");
  const bob = await newSignedInPage(browser, "watcher");
  const group = `edit-${stamp}`;
  for (const [url, data] of [
    ["/api/groups", { name: "Edit", path: group }],
    [`/api/groups/${group}/members`, { username: bob.user.username, role: "developer" }],
  ] as const) {
    const res = await alice.page.request.post(url, { data });
    expect(res.status(), await res.text()).toBe(201);
  }
  const { token, clusterUrl, agentId } = await createProjectAgent(alice.page, alice.user, "infra", group);
  cluster.startAgent(token, "edit");
  const ns = `edit-${stamp}`;
  await kubectl("create", "namespace", ns);
  await kubectl("create", "configmap", "settings", "-n", ns, "--from-literal=color=blue");
  // Alice reads and updates ConfigMaps; Bob only reads them.
  await kubectl("create", "role", "reader", "-n", ns, "--verb=get,list,watch", "--resource=configmaps");
  await kubectl("create", "role", "updater", "-n", ns, "--verb=update", "--resource=configmaps");
  for (const [who, role] of [
    [alice.user.username, "reader"],
    [alice.user.username, "updater"],
    [bob.user.username, "reader"],
  ] as const)
    await kubectl("create", "rolebinding", `${who}-${role}`, "-n", ns, `--role=${role}`, `--user=tether:user:${who}`);
  await untilCan(alice.user.username, "yes", "update", "configmaps", "-n", ns);
  await untilCan(bob.user.username, "yes", "list", "configmaps", "-n", ns);

  // The editor's styles and checks run in the page: its content security policy must have nothing to report.
  const refused: string[] = [];
  await alice.page.exposeFunction("reportPolicyViolation", (text: string) => refused.push(text));
  await alice.page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportPolicyViolation(t: string): void }).reportPolicyViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`,
      );
    });
  });
  const drawer = await openObject(alice.page, clusterUrl, "configmaps", ns, "settings");
  const actions = drawer.getByRole("region", { name: "Actions" });
  await actions.getByRole("button", { name: "Edit YAML" }).click({ timeout: 30_000 });
  const label = `YAML of ConfigMap ${ns}/settings`;
  const editor = alice.page.getByRole("textbox", { name: label });
  await expect(editor).toContainText("color: blue", { timeout: 30_000 });
  await expect(editor).not.toContainText("managedFields");
  const original = await editorText(alice.page, label);
  const review = actions.getByRole("button", { name: "Review" });
  await expect(review).toBeDisabled(); // nothing changed yet

  // Malformed YAML: the line is named, Review stays off, nothing is sent.
  const sent: string[] = [];
  alice.page.on("request", (r) => {
    if (r.url().includes(`/api/agents/${agentId}/edit`)) sent.push(r.url());
  });
  await editor.fill(original.replace("color: blue", "color: [blue"));
  await expect(actions.getByRole("list", { name: "Problems" })).toContainText(/line \d+: /);
  await expect(review).toBeDisabled();
  expect(sent).toEqual([]);
  expect(refused).toEqual([]);

  // Escape outside the editor would close the drawer: with an edit not applied, it asks first.
  await drawer.getByRole("heading", { name: `Edit ConfigMap ${ns}/settings` }).click();
  const asked: string[] = [];
  alice.page.once("dialog", (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await alice.page.keyboard.press("Escape");
  await expect
    .poll(() => asked)
    .toEqual([`Close and discard your edit of ConfigMap ${ns}/settings? It is not applied.`]);
  await expect(drawer).toBeVisible();

  // Green: Review shows the dry run's diff; the cluster is unchanged until Apply.
  await editor.fill(original.replace("color: blue", "color: green"));
  await expect(actions.getByRole("list", { name: "Problems" })).toHaveCount(0);
  await review.click();
  const diff = actions.getByRole("table", { name: `Live ConfigMap ${ns}/settings → what the cluster would store` });
  // Only the data changed (what else the cluster would store differently shows too, e.g. metadata it manages).
  await expect(diff.locator("tr[data-kind=del]").filter({ hasText: "color" })).toHaveText([/removed\s*color: blue$/], {
    timeout: 30_000,
  });
  await expect(diff.locator("tr[data-kind=add]").filter({ hasText: "color" })).toHaveText([/added\s*color: green$/]);
  expect((await kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color}")).stdout).toBe("blue");
  await actions.getByRole("button", { name: "Apply" }).click();
  await expect(actions.getByRole("status")).toHaveText(`Edited the YAML of configmap ${ns}/settings.`, {
    timeout: 30_000,
  });
  expect((await kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color}")).stdout).toBe(
    "green",
  );
  const managers = (
    await kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.metadata.managedFields[*].manager}")
  ).stdout;
  expect(managers.split(" ")).toContain("tether");

  // A change made meanwhile: the dry run is refused as a conflict, in the cluster's words.
  await actions.getByRole("button", { name: "Edit YAML" }).click();
  await expect(editor).toContainText("color: green", { timeout: 30_000 });
  const started = await editorText(alice.page, label);
  await kubectl("patch", "configmap", "settings", "-n", ns, "--type=merge", "-p", '{"data":{"color":"red"}}');
  await editor.fill(started.replace("color: green", "color: purple"));
  await review.click();
  await expect(actions.getByRole("alert")).toContainText(
    'the cluster refused: Operation cannot be fulfilled on configmaps "settings": the object has been modified',
    { timeout: 30_000 },
  );
  expect((await kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color}")).stdout).toBe("red");

  // Bob may read the ConfigMap but not update it: no Edit YAML; forged, the cluster refuses it in its words.
  const bobDrawer = await openObject(bob.page, clusterUrl, "configmaps", ns, "settings");
  await expect(bobDrawer.getByRole("region", { name: "Actions" })).toContainText(
    "The cluster's RBAC lets you take no action on this ConfigMap",
    { timeout: 30_000 },
  );
  await expect(bobDrawer.getByRole("button", { name: "Edit YAML" })).toHaveCount(0);
  const live = (await kubectl("get", "configmap", "settings", "-n", ns, "-o", "yaml")).stdout;
  const forged = await bob.page.request.post(`/api/agents/${agentId}/edit`, {
    data: {
      path: `/api/v1/namespaces/${ns}/configmaps`,
      name: "settings",
      yaml: live.replace("color: red", "color: black"),
      dryRun: false,
    },
  });
  expect(forged.status()).toBe(403);
  expect(((await forged.json()) as { error: string }).error).toContain(
    `configmaps "settings" is forbidden: User "tether:user:${bob.user.username}" cannot update resource "configmaps"`,
  );
  expect((await kubectl("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color}")).stdout).toBe("red");

  // The audit log has the edit and the refused attempt.
  await alice.page.goto(`/projects/${group}/infra/-/audit`);
  const audit = alice.page.getByRole("table", { name: /Audit log of/ });
  await expect(
    audit.getByText(`Edited the YAML of configmap ${ns}/settings in the cluster of agent infra`),
  ).toBeVisible();
  await expect(
    audit.getByText(
      new RegExp(
        `Tried to edit the YAML of configmap ${ns}/settings in the cluster of agent infra .*; the cluster refused \\(403\\)`,
      ),
    ),
  ).toBeVisible();
});
