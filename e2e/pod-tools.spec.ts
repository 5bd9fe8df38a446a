// Working from the cluster view, against the testbed (kwok plays the kubelet): a pod's log is followed
// live in the drawer and a line written now appears; a viewer whose RBAC forbids pods/log reads the
// cluster's refusal instead. Actions are offered only when the cluster's RBAC allows them, confirmed,
// sent as the viewer and audited: a pod deleted, a Deployment scaled; a refusal shows the cluster's words
// in the dialog and in the API's answer, and is audited too. Both people are members of the agent's
// project, impersonated as themselves; a Role per person decides what each may do.
import { expect, test, type Page } from "./test";
import { appendContainerLog, startPod } from "../testbed/cluster";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("pod-tools");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

/** Waits until the cluster's RBAC answers `kubectl auth can-i` as `expected` for the user (bindings apply within moments). */
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

let setup: Promise<{
  alice: { page: Page; user: { username: string } };
  bob: { page: Page; user: { username: string } };
  agentId: string;
  clusterUrl: string;
  auditUrl: string;
  ns: string;
}> | null = null;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  setup = (async () => {
    const stamp = Date.now().toString(36);
    const alice = await newSignedInPage(browser, "operator");
    const bob = await newSignedInPage(browser, "onlooker");
    const group = `tools-${stamp}`;
    for (const [url, data] of [
      ["/api/groups", { name: "Tools", path: group }],
      [`/api/groups/${group}/members`, { username: bob.user.username, role: "developer" }],
    ] as const) {
      const res = await alice.page.request.post(url, { data });
      expect(res.status(), await res.text()).toBe(201);
    }
    const { token, clusterUrl, agentId } = await createProjectAgent(alice.page, alice.user, "infra", group);
    cluster.startAgent(token, "tools");
    const ns = `tools-${stamp}`;
    await kubectl("create", "namespace", ns);
    // Alice operates the namespace: reads pods, their logs and Deployments, deletes pods, scales Deployments.
    // Bob only reads pods and Deployments: no logs, no changes.
    await kubectl(
      "create",
      "role",
      "reader",
      "-n",
      ns,
      "--verb=get,list,watch",
      "--resource=pods,deployments,deployments/scale",
    );
    await kubectl("create", "role", "log-reader", "-n", ns, "--verb=get", "--resource=pods/log");
    await kubectl("create", "role", "pod-deleter", "-n", ns, "--verb=delete", "--resource=pods");
    await kubectl("create", "role", "scaler", "-n", ns, "--verb=patch", "--resource=deployments/scale");
    for (const role of ["reader", "log-reader", "pod-deleter", "scaler"])
      await kubectl(
        "create",
        "rolebinding",
        `alice-${role}`,
        "-n",
        ns,
        `--role=${role}`,
        `--user=tether:user:${alice.user.username}`,
      );
    await kubectl(
      "create",
      "rolebinding",
      "bob-reader",
      "-n",
      ns,
      "--role=reader",
      `--user=tether:user:${bob.user.username}`,
    );
    return { alice, bob, agentId, clusterUrl, auditUrl: `/projects/${group}/infra/-/audit`, ns };
  })();
  await setup;
});

const ready = async () => {
  if (!setup) throw new Error("beforeAll did not run");
  return setup;
};

async function openObject(page: Page, clusterUrl: string, kind: string, ns: string, name: string) {
  await page.goto(`${clusterUrl}?kind=${kind}&namespace=${ns}&open=${ns}/${name}`);
  const drawer = page.getByRole("dialog", { name: `${name} details` });
  await expect(drawer).toBeVisible({ timeout: 60_000 });
  return drawer;
}

test("a pod's log is followed in the drawer and a line written now appears; a viewer without pods/log reads the cluster's refusal", async () => {
  test.setTimeout(180_000);
  const { alice, bob, clusterUrl, ns } = await ready();
  await startPod(cluster.testbed, ns, "talker", ["main", "sidecar"]);
  const streams = cluster.testbed.streams!;

  const drawer = await openObject(alice.page, clusterUrl, "pods", ns, "talker");
  const logs = drawer.getByRole("region", { name: "Logs" });
  await expect(logs.getByLabel("Container")).toHaveValue("main");
  const log = logs.getByRole("log", { name: "Log of main" });
  await expect(log).toContainText(streams.initialLogLines[0]!, { timeout: 30_000 });
  await expect(logs.locator("[data-log-state]")).toHaveAttribute("data-log-state", "following");

  const fresh = `fresh line ${Date.now().toString(36)}`;
  await appendContainerLog(streams, fresh);
  await expect(log).toContainText(fresh, { timeout: 15_000 });

  // Search within: one line matches.
  await logs.getByLabel("Search the log").fill(fresh);
  await expect(logs.locator("[data-log-state]")).toContainText("1 match");
  await expect(log.locator("[data-log-line]")).toHaveText([fresh]);
  await logs.getByLabel("Search the log").fill("");

  // Another container, with timestamps: a new request whose lines start with the time.
  await logs.getByLabel("Container").selectOption("sidecar");
  await logs.getByLabel("Timestamps").check();
  const sidecar = logs.getByRole("log", { name: "Log of sidecar" });
  await expect(sidecar.locator("[data-log-line]").first()).toHaveText(
    /^\d{4}-\d\d-\d\dT[\d:.]+Z testbed: container started$/,
    {
      timeout: 30_000,
    },
  );

  // Bob may read the pod but not its log: the drawer says what the cluster said.
  const bobDrawer = await openObject(bob.page, clusterUrl, "pods", ns, "talker");
  await expect(bobDrawer.getByRole("region", { name: "Logs" }).getByRole("alert")).toContainText(
    `pods "talker" is forbidden: User "tether:user:${bob.user.username}" cannot get resource "pods/log"`,
    { timeout: 30_000 },
  );
});

test("a pod is deleted and a Deployment scaled, each confirmed, sent as the viewer and audited; refusals show the cluster's words", async () => {
  test.setTimeout(180_000);
  const { alice, bob, agentId, clusterUrl, auditUrl, ns } = await ready();
  const me = alice.user.username;
  await startPod(cluster.testbed, ns, "doomed");
  await kubectl("create", "deployment", "web", "-n", ns, "--image=registry.invalid/web:1", "--replicas=1");

  // Delete is offered; the binding goes before Alice confirms: the dialog shows the cluster's refusal.
  const drawer = await openObject(alice.page, clusterUrl, "pods", ns, "doomed");
  const deleteButton = drawer.getByRole("region", { name: "Actions" }).getByRole("button", { name: "Delete" });
  await expect(deleteButton).toBeVisible({ timeout: 30_000 });
  await kubectl("delete", "rolebinding", "alice-pod-deleter", "-n", ns);
  await untilCan(me, "no", "delete", "pods", "-n", ns);
  await deleteButton.click();
  const confirm = alice.page.getByRole("dialog", { name: `Delete pod ${ns}/doomed?` });
  await expect(confirm).toContainText("recorded in the project's audit log");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm.getByRole("alert")).toContainText(
    `the cluster refused: pods "doomed" is forbidden: User "tether:user:${me}" cannot delete resource "pods"`,
  );
  await expect(alice.page.locator(`[role=row][data-name="doomed"]`)).toBeVisible();

  // Allowed again: confirmed, it goes from the cluster and from the table.
  await kubectl(
    "create",
    "rolebinding",
    "alice-pod-deleter",
    "-n",
    ns,
    "--role=pod-deleter",
    `--user=tether:user:${me}`,
  );
  await untilCan(me, "yes", "delete", "pods", "-n", ns);
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden({ timeout: 15_000 });
  await expect(alice.page.locator(`[role=row][data-name="doomed"]`)).toHaveCount(0, { timeout: 30_000 });

  // Scale web to 3; Cancel first changes nothing.
  const deployment = await openObject(alice.page, clusterUrl, "deployments", ns, "web");
  const actions = deployment.getByRole("region", { name: "Actions" });
  // Alice may scale web but neither delete nor restart it: only Scale is offered.
  await expect(actions.getByRole("button", { name: "Scale" })).toBeVisible({ timeout: 30_000 });
  await expect(actions.getByRole("button")).toHaveText(["Scale"]);
  await actions.getByRole("button", { name: "Scale" }).click();
  const scale = alice.page.getByRole("dialog", { name: `Scale deployment ${ns}/web?` });
  await scale.getByRole("button", { name: "Cancel" }).click();
  await expect(scale).toBeHidden();
  await actions.getByRole("button", { name: "Scale" }).click();
  await scale.getByLabel("Replicas").fill("3");
  await scale.getByRole("button", { name: "Scale" }).click();
  await expect(actions.getByRole("status")).toHaveText(`Scaled deployment ${ns}/web to 3.`);
  expect((await kubectl("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).stdout).toBe("3");
  await alice.page.keyboard.press("Escape");
  await expect(alice.page.locator('[role=row][data-name="web"]')).toContainText("3/3 ready", { timeout: 60_000 });

  // Bob is offered nothing on web; sent anyway, the cluster's refusal comes back as its own words.
  const bobDrawer = await openObject(bob.page, clusterUrl, "deployments", ns, "web");
  await expect(bobDrawer.getByRole("region", { name: "Actions" })).toContainText(
    "The cluster's RBAC lets you take no action on this deployment",
    { timeout: 30_000 },
  );
  await expect(bobDrawer.getByRole("button", { name: "Scale" })).toHaveCount(0);
  const refused = await bob.page.request.post(`/api/agents/${agentId}/actions`, {
    data: { action: "scale", path: `/apis/apps/v1/namespaces/${ns}/deployments`, name: "web", replicas: 0 },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toContain(
    `User "tether:user:${bob.user.username}" cannot patch resource "deployments/scale"`,
  );
  expect((await kubectl("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).stdout).toBe("3");

  // The project's audit log has each attempt: done, and refused with the cluster's status.
  await alice.page.goto(auditUrl);
  const audit = alice.page.getByRole("table", { name: /Audit log of/ });
  await expect(audit.getByText(`Scaled deployment ${ns}/web to 3 in the cluster of agent infra`)).toBeVisible();
  await expect(audit.getByText(`Deleted pod ${ns}/doomed in the cluster of agent infra`)).toBeVisible();
  await expect(
    audit.getByText(
      new RegExp(`Tried to delete pod ${ns}/doomed in the cluster of agent infra .*; the cluster refused \\(403\\)`),
    ),
  ).toBeVisible();
  await expect(
    audit.getByText(
      new RegExp(
        `Tried to scale deployment ${ns}/web to 0 in the cluster of agent infra .*; the cluster refused \\(403\\)`,
      ),
    ),
  ).toBeVisible();
});

test("a node is drained from its drawer: cordoned, its pods evicted, audited; then uncordoned", async () => {
  test.setTimeout(180_000);
  const { alice, clusterUrl, auditUrl, ns } = await ready();
  const me = alice.user.username;
  await kubectl("create", "clusterrole", "drainer", "--verb=get,list,watch,patch", "--resource=nodes,pods");
  await kubectl("create", "clusterrole", "evicter", "--verb=create", "--resource=pods/eviction");
  for (const role of ["drainer", "evicter"])
    await kubectl("create", "clusterrolebinding", `alice-${role}`, `--clusterrole=${role}`, `--user=tether:user:${me}`);
  await untilCan(me, "yes", "create", "pods", "--subresource=eviction");
  await startPod(cluster.testbed, ns, "evictee");

  await alice.page.goto(`${clusterUrl}?kind=nodes&open=/testbed-node-1`);
  const drawer = alice.page.getByRole("dialog", { name: "testbed-node-1 details" });
  await expect(drawer).toBeVisible({ timeout: 60_000 });
  const actions = drawer.getByRole("region", { name: "Actions" });
  await actions.getByRole("button", { name: "Drain" }).click({ timeout: 30_000 });
  const confirm = alice.page.getByRole("dialog", { name: "Drain node testbed-node-1?" });
  await expect(confirm).toContainText("PodDisruptionBudgets");
  await confirm.getByRole("button", { name: "Drain" }).click();
  await expect(actions.getByRole("status")).toHaveText(/^Drained node testbed-node-1: \d+ pods? evicted\.$/, {
    timeout: 30_000,
  });
  expect((await kubectl("get", "node", "testbed-node-1", "-o", "jsonpath={.spec.unschedulable}")).stdout).toBe("true");
  await expect
    .poll(
      async () =>
        (await kubectl("get", "pods", "-n", ns, "--field-selector=metadata.name=evictee", "-o", "name")).stdout.trim(),
      {
        timeout: 30_000,
      },
    )
    .toBe("");

  // Cordoned now: Uncordon is offered instead of Cordon.
  await expect(actions.getByRole("button", { name: "Uncordon" })).toBeVisible({ timeout: 30_000 });
  await actions.getByRole("button", { name: "Uncordon" }).click();
  await alice.page
    .getByRole("dialog", { name: "Uncordon node testbed-node-1?" })
    .getByRole("button", { name: "Uncordon" })
    .click();
  await expect(actions.getByRole("status")).toHaveText("Uncordoned node testbed-node-1.", { timeout: 30_000 });
  expect((await kubectl("get", "node", "testbed-node-1", "-o", "jsonpath={.spec.unschedulable}")).stdout).toBe("");

  await alice.page.goto(auditUrl);
  const audit = alice.page.getByRole("table", { name: /Audit log of/ });
  await expect(audit.getByText("Drained node testbed-node-1 in the cluster of agent infra")).toBeVisible();
  await expect(audit.getByText("Uncordoned node testbed-node-1 in the cluster of agent infra")).toBeVisible();
});
