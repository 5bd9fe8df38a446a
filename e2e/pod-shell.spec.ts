// A shell into a pod's container from the object drawer, against the testbed (kwok runs the command on
// this host with a pseudo-terminal): typed input reaches the shell and its output shows in the terminal,
// the terminal's size follows the drawer, a viewer whose RBAC forbids pods/exec reads the cluster's own
// refusal and no terminal opens, it fits 390 px, and a shell ends on the page within seconds when the
// user's sessions are revoked. Both people are members of the agent's project, impersonated as themselves.
import { expect, test, type Locator, type Page } from "./test";
import { startPod } from "../testbed/cluster";
import { specCluster } from "./cluster";
import { createProjectAgent, newSignedInPage } from "./helpers";

const cluster = specCluster("pod-shell");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

let setup: Promise<{
  alice: { page: Page; user: { username: string } };
  bob: { page: Page; user: { username: string } };
  clusterUrl: string;
  ns: string;
}> | null = null;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  setup = (async () => {
    const stamp = Date.now().toString(36);
    const alice = await newSignedInPage(browser, "sheller");
    const bob = await newSignedInPage(browser, "watcher");
    const group = `shell-${stamp}`;
    for (const [url, data] of [
      ["/api/groups", { name: "Shell", path: group }],
      [`/api/groups/${group}/members`, { username: bob.user.username, role: "developer" }],
    ] as const) {
      const res = await alice.page.request.post(url, { data });
      expect(res.status(), await res.text()).toBe(201);
    }
    const { token, clusterUrl } = await createProjectAgent(alice.page, alice.user, "boxes", group);
    cluster.startAgent(token, "shell");
    const ns = `shell-${stamp}`;
    await kubectl("create", "namespace", ns);
    // Alice may read pods and open shells (WebSocket exec needs get, Tether asks for create); Bob only reads pods.
    await kubectl("create", "role", "reader", "-n", ns, "--verb=get,list,watch", "--resource=pods");
    await kubectl("create", "role", "sheller", "-n", ns, "--verb=get,create", "--resource=pods/exec");
    for (const role of ["reader", "sheller"])
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
    await startPod(cluster.testbed, ns, "box", ["main", "sidecar"]);
    return { alice, bob, clusterUrl, ns };
  })();
  await setup;
});

const ready = async () => {
  if (!setup) throw new Error("beforeAll did not run");
  return setup;
};

async function openShell(page: Page, clusterUrl: string, ns: string, command: string): Promise<Locator> {
  await page.goto(`${clusterUrl}?kind=pods&namespace=${ns}&open=${ns}/box`);
  const drawer = page.getByRole("dialog", { name: "box details" });
  await expect(drawer).toBeVisible({ timeout: 60_000 });
  const shell = drawer.getByRole("region", { name: "Shell" });
  await shell.getByRole("button", { name: "Open a shell" }).click();
  await expect(shell.getByLabel("Shell container")).toHaveValue("main");
  await shell.getByLabel("Command").fill(command);
  await shell.getByRole("button", { name: "Connect" }).click();
  return shell;
}

/** The terminal's screen as text (xterm.js draws rows as DOM). */
const screen = (shell: Locator) => shell.locator(".xterm-rows");

/** Runs `stty size` in the shell and reads "rows cols" from the line after the newest prompt. */
async function ttySize(page: Page, shell: Locator, tag: string): Promise<[number, number]> {
  await page.keyboard.type(`echo ${tag} $(/bin/stty size)`);
  await page.keyboard.press("Enter");
  const line = new RegExp(`^${tag} (\\d+) (\\d+)`, "m");
  let found: RegExpExecArray | null = null;
  await expect
    .poll(async () => {
      const rows = await screen(shell).locator(":scope > div").allInnerTexts();
      found = line.exec(rows.map((r) => r.replace(/\u00a0/g, " ")).join("\n"));
      return found !== null;
    })
    .toBe(true);
  const m = found as unknown as RegExpExecArray;
  return [Number(m[1]), Number(m[2])];
}

test("a shell opens in the drawer: typed input runs, its output shows, the terminal's size follows the drawer, the exit code is shown", async () => {
  test.setTimeout(180_000);
  const { alice, clusterUrl, ns } = await ready();
  const page = alice.page;
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  const shell = await openShell(page, clusterUrl, ns, "/bin/sh");
  const state = shell.locator("[data-shell-state]");
  await expect(state).toHaveText("Connected: /bin/sh", { timeout: 30_000 });
  await expect(state).toHaveAttribute("data-shell-state", "connected");

  // The terminal has the focus: what is typed goes to the shell, what it prints comes back.
  await page.keyboard.type("echo shell-$((6*7))");
  await page.keyboard.press("Enter");
  await expect(screen(shell)).toContainText("shell-42", { timeout: 15_000 });

  // A narrower window makes a narrower drawer: the shell sees fewer columns.
  const [rows, wide] = await ttySize(page, shell, "size-a");
  expect(rows).toBeGreaterThan(5);
  await page.setViewportSize({ width: 520, height: 900 });
  await expect.poll(async () => (await ttySize(page, shell, `size-${Date.now() % 1000}`))[1]).toBeLessThan(wide);

  // Escape stays in the terminal (the drawer does not close); F6 leaves it for the End button.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "box details" })).toBeVisible();
  await page.keyboard.press("Control+U"); // the shell got the Escape: the terminal's kill-line drops it
  await page.keyboard.press("F6");
  await expect(shell.getByRole("button", { name: "End session" })).toBeFocused();
  await shell.locator(".xterm").click();

  await page.keyboard.type("exit 0");
  await page.keyboard.press("Enter");
  await expect(state).toHaveText("Ended: the command exited (exit code 0)", { timeout: 15_000 });
  await expect(shell.getByRole("button", { name: "Connect again" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("a viewer without pods/exec reads the cluster's refusal in its words, and no terminal opens", async () => {
  test.setTimeout(120_000);
  const { bob, clusterUrl, ns } = await ready();
  const shell = await openShell(bob.page, clusterUrl, ns, "/bin/sh");
  await expect(shell.getByRole("alert")).toHaveText(
    `Ended: the cluster refused: pods "box" is forbidden: User "tether:user:${bob.user.username}" cannot create resource "pods/exec" in API group "" in the namespace "${ns}"`,
    { timeout: 30_000 },
  );
  await expect(shell.locator(".xterm")).toHaveCount(0);
});

test("at 390 px the shell fits the screen without scrolling sideways", async () => {
  test.setTimeout(120_000);
  const { alice, clusterUrl, ns } = await ready();
  const page = alice.page;
  await page.setViewportSize({ width: 390, height: 844 });
  const shell = await openShell(page, clusterUrl, ns, "cat");
  await expect(shell.locator("[data-shell-state]")).toHaveText("Connected: cat", { timeout: 30_000 });
  await page.keyboard.type("narrow");
  await page.keyboard.press("Enter");
  await expect(screen(shell)).toContainText("narrow", { timeout: 15_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const box = await shell.locator(".xterm").boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(390);
  await shell.getByRole("button", { name: "End session" }).click();
  await expect(shell.locator("[data-shell-state]")).toHaveText(/^Ended: /, { timeout: 10_000 });
});

test("revoking the user's sessions ends the open shell within seconds: the shell says why, or the tab goes to sign in", async () => {
  test.setTimeout(120_000);
  const { alice, clusterUrl, ns } = await ready();
  const page = alice.page;
  await page.setViewportSize({ width: 1280, height: 900 });
  const shell = await openShell(page, clusterUrl, ns, "cat");
  const state = shell.locator("[data-shell-state]");
  await expect(state).toHaveText("Connected: cat", { timeout: 30_000 });
  await page.keyboard.type("before");
  await page.keyboard.press("Enter");
  await expect(screen(shell)).toContainText("before", { timeout: 15_000 });

  // Sign out everywhere (as from another tab). Two parts of the page notice, and whichever is first is what
  // the user sees: the shell's own line saying why it ended, or the live view's stream getting a 401 and
  // sending the tab to sign in (which leaves the page, shell and all). The server's close reason itself is
  // asserted in lib/pod-shell/shell.int.test.ts.
  const ended = "Ended: your session ended (signed out everywhere); sign in again";
  const t0 = Date.now();
  const res = await page.request.delete("/api/user/sessions");
  expect(res.status()).toBe(200);
  let seen = "";
  await expect
    .poll(
      async () => {
        if (new URL(page.url()).pathname === "/sign-in") return (seen = "sign-in");
        const text = await state.textContent({ timeout: 500 }).catch(() => null);
        return (seen = text === ended ? "shell" : `still: ${text}`);
      },
      { timeout: 5_000, intervals: [100] },
    )
    .toMatch(/^(shell|sign-in)$/);
  console.log(
    `${seen === "shell" ? "the shell said it ended" : "the tab went to sign in"} ${Date.now() - t0} ms after the sessions were revoked`,
  );
  if (seen === "sign-in") {
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(new URL(clusterUrl, page.url()).pathname);
  }
});
