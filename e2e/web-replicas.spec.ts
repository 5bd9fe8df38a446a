// Two web replicas side by side, as a user would notice them: the product the specs run (web A with kas) and a
// second web process started here (`scripts/start.ts --web-only`: the same production build, database and
// data/ secrets, no kas of its own; it reaches the product's kas). A session made on one replica is good on the
// other, and ending it on one ends it on both; the live view works on either, and a stream resumed on the other
// replica with the first one's Last-Event-ID is a whole snapshot (each replica has its own cache), nothing lost;
// failed sign-ins are counted once across both, so the lock comes at the fifth failure wherever each was made.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect, test, type Browser, type Page } from "./test";
import { frameReader, type KubeObject, type LiveFrame } from "../lib/cluster-cache/wire";
import { specCluster } from "./cluster";
import { createProjectAgent, newUser, recordSessionCookie, signUpAs, watchForSecrets, type TestUser } from "./helpers";
import { e2eServer } from "./product-server";

const root = path.resolve(__dirname, "..");
const A = e2eServer.baseUrl;
let B = "";
let replica: ChildProcess | undefined;
let replicaLog = "";

const cluster = specCluster("replicas");
const kubectl = (...args: string[]) => cluster.kubectl(...args);

/** A port nobody listens on now (helpers run their e2e side by side on this machine). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  B = `http://localhost:${port}`;
  fs.mkdirSync(e2eServer.replicaLogDir, { recursive: true });
  replicaLog = path.join(e2eServer.replicaLogDir, `web-replica-${port}.log`);
  const log = fs.openSync(replicaLog, "a");
  // The product's settings (database, kas's addresses, log level) with this replica's own address; the
  // session secret, the web/kas secret and the receptive key come from the same data/secrets files.
  replica = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts"), "--web-only"], {
    cwd: root,
    stdio: ["ignore", log, log],
    env: { ...process.env, ...e2eServer.env, PORT: String(port), NEXTAUTH_URL: B },
  });
  fs.closeSync(log);
  // Ready when its own readiness probe says so (the database answers); a replica that died says why.
  await expect
    .poll(
      async () => {
        if (replica?.exitCode !== null)
          throw new Error(`the second web replica exited:\n${fs.readFileSync(replicaLog, "utf8").slice(-2_000)}`);
        return fetch(`${B}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 150_000, intervals: [250, 500, 1_000] },
    )
    .toBe(200);
});

test.afterAll(async () => {
  test.setTimeout(30_000);
  const web = replica;
  if (!web || web.exitCode !== null) return;
  const exited = new Promise((r) => web.once("exit", r));
  web.kill("SIGTERM");
  await exited;
});

/** A new browser context signed up on replica A. */
async function signedUpOnA(browser: Browser, prefix: string): Promise<{ page: Page; user: TestUser }> {
  const page = await (await browser.newContext()).newPage();
  const user = newUser(prefix);
  await signUpAs(page, user);
  return { page, user };
}

test("a session made on replica A is good on replica B, and signing out everywhere on B ends it on A too", async ({
  browser,
}) => {
  const { page, user } = await signedUpOnA(browser, "replicas");
  // Another browser signed in as the same user on A: its session must end too, not just this one's cookie.
  const other = await (await browser.newContext()).newPage();
  watchForSecrets(other.context());
  await other.goto(`${A}/sign-in`);
  await other.getByLabel("E-mail", { exact: true }).fill(user.email);
  await other.getByLabel("Password", { exact: true }).fill(user.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(`${A}/projects`);
  await recordSessionCookie(other.context());

  // Replica B's pages, with the cookie replica A set (cookies are per host, not per port).
  await page.goto(`${B}/projects`);
  await expect(page).toHaveURL(`${B}/projects`);
  await expect(page.getByTestId("current-user")).toHaveText(user.name);
  await page.goto(`${B}/settings/password`);
  await expect(page.getByRole("heading", { name: "Password and sessions" })).toBeVisible();
  expect((await page.request.get(`${B}/api/projects`)).status()).toBe(200);
  expect((await other.request.get(`${A}/api/projects`)).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(new RegExp(`^${B}/sign-in`));

  // On A, the other browser's session has ended: its pages send it to sign in, its API calls are refused.
  await other.goto(`${A}/projects`);
  await expect(other).toHaveURL(new RegExp(`^${A}/sign-in`));
  expect((await other.request.get(`${A}/api/projects`)).status()).toBe(401);
  expect((await other.request.get(`${B}/api/projects`)).status()).toBe(401);
  await page.goto(`${A}/projects`);
  await expect(page).toHaveURL(new RegExp(`^${A}/sign-in`));
});

/** The page's own live stream (same origin, its cookies) read until every one of `until` is in it, or 30 s pass. */
async function readLive(
  page: Page,
  url: string,
  lastEventId: string | null,
  until: string[],
): Promise<{ status: number; frames: LiveFrame<KubeObject>[]; text: string }> {
  const { status, text } = await page.evaluate(
    async ({ url, lastEventId, until }) => {
      const controller = new AbortController();
      const res = await fetch(url, {
        signal: controller.signal,
        headers: { accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      });
      if (!res.ok || !res.body) return { status: res.status, text: await res.text() };
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const end = Date.now() + 30_000;
      while (!(until.every((u) => text.includes(u)) && text.endsWith("\n\n")) && Date.now() < end) {
        const next = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, end - Date.now()))),
        ]);
        if (!next || next.done) break;
        text += decoder.decode(next.value, { stream: true });
      }
      controller.abort();
      return { status: res.status, text };
    },
    { url, lastEventId, until },
  );
  const frames: LiveFrame<KubeObject>[] = [];
  frameReader<KubeObject>((f) => frames.push(f)).feed(text);
  return { status, frames, text };
}

/** The names in collection `i` of a frame (the page's stream also carries the namespaces, for its picker). */
const namesIn = (frame: LiveFrame<KubeObject> | undefined, i: number): string[] =>
  frame?.event === "snapshot"
    ? frame.data.collections.flatMap((c) => (c.i === i ? c.items.map((o) => o.metadata.name) : [])).sort()
    : frame?.event === "changes"
      ? [...new Set(frame.data.events.flatMap((e) => (e.i === i ? [e.object.metadata.name] : [])))].sort()
      : [];

test("the live view on both replicas: a pod made while replica B's page is open appears there, and B answers a stream resumed with replica A's Last-Event-ID with a snapshot holding every pod", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { page: pageA, user } = await signedUpOnA(browser, "livereplicas");
  const { token, clusterUrl, agentId } = await createProjectAgent(pageA, user, "replicas");
  cluster.startAgent(token, "replicas");
  // This cluster lets Tether's users see everything (the project's owner is impersonated as one).
  await kubectl("create", "clusterrolebinding", "tether-users-view", "--clusterrole=view", "--group=tether:user").catch(
    () => undefined,
  );
  const ns = `replicas-${Date.now().toString(36)}`;
  await kubectl("create", "namespace", ns);
  await kubectl("run", "first", "-n", ns, "--image=nginx");
  const view = `${clusterUrl}?kind=pods&namespace=${ns}`;
  const row = (page: Page, name: string) => page.locator(`[role=row][data-name="${name}"]`);

  // Replica A: the Cluster tab shows the pod.
  const liveRequest = pageA.waitForRequest((r) => r.url().includes(`/api/agents/${agentId}/live?`));
  await pageA.goto(`${A}${view}`);
  await expect(pageA.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect(row(pageA, "first")).toBeVisible({ timeout: 30_000 });
  const live = new URL((await liveRequest).url());
  const livePath = `${live.pathname}${live.search}`;
  const pods = live.searchParams.getAll("path").findIndex((p) => p.startsWith(`/api/v1/namespaces/${ns}/pods`));
  expect(pods).toBeGreaterThanOrEqual(0);
  const podNames = (frame: LiveFrame<KubeObject> | undefined) => namesIn(frame, pods);

  // Replica B, same browser: the same page, from B's own cache; a pod made while it is open appears.
  const pageB = await pageA.context().newPage();
  await pageB.goto(`${B}${view}`);
  await expect(pageB.locator("[data-live-status]")).toHaveText("Live", { timeout: 60_000 });
  await expect(row(pageB, "first")).toBeVisible({ timeout: 30_000 });
  await kubectl("run", "second", "-n", ns, "--image=nginx");
  await expect(row(pageB, "second")).toBeVisible({ timeout: 15_000 });
  await expect(row(pageA, "second")).toBeVisible({ timeout: 15_000 });

  // A position in A's stream, then a pod made after it.
  const fromA = await readLive(pageA, livePath, null, ['"first"', '"second"']);
  expect(fromA.status).toBe(200);
  const position = fromA.frames.find((f) => f.event === "snapshot");
  expect(podNames(position)).toEqual(["first", "second"]);
  const lastEventId = position?.event === "snapshot" ? position.id : "";
  expect(lastEventId).not.toBe("");
  await kubectl("run", "third", "-n", ns, "--image=nginx");
  await expect(row(pageA, "third")).toBeVisible({ timeout: 15_000 });
  await expect(row(pageB, "third")).toBeVisible({ timeout: 15_000 });

  // Back on A with that id: only what was missed (a difference, the new pod in it), no snapshot.
  const resumedOnA = await readLive(pageA, livePath, lastEventId, ['"third"']);
  expect(resumedOnA.status).toBe(200);
  const firstOnA = resumedOnA.frames.find((f) => f.event !== "status");
  expect(firstOnA?.event).toBe("changes");
  expect(podNames(firstOnA)).toContain("third");

  // On B with A's id (a reconnect a load balancer sent to the other replica): a whole snapshot, nothing lost.
  const resumedOnB = await readLive(pageB, livePath, lastEventId, ['"third"']);
  expect(resumedOnB.status).toBe(200);
  const firstOnB = resumedOnB.frames.find((f) => f.event !== "status");
  expect(firstOnB?.event).toBe("snapshot");
  expect(podNames(firstOnB)).toEqual(["first", "second", "third"]);

  // B's page is still live and shows every pod.
  await expect(pageB.locator("[data-live-status]")).toHaveText("Live");
  for (const name of ["first", "second", "third"]) await expect(row(pageB, name)).toBeVisible();
  await kubectl("delete", "namespace", ns, "--wait=false");
});

test("wrong passwords are counted across the replicas: failures split between A and B lock the account at the fifth, on either replica", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = newUser("splitlock");
  expect((await page.request.post(`${A}/api/users`, { data: user })).status()).toBe(201);

  const signIn = async (base: string, password: string) => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("E-mail", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  const invalid = page.getByRole("alert").filter({ hasText: "Invalid e-mail or password." });
  const locked = page.getByRole("alert").filter({
    hasText: /^Too many failed sign-in attempts\. Try again in (1 minute|\d+ seconds) \(at \d\d:\d\d:\d\d\)\.$/,
  });
  // Four failures, alternating: no replica saw more than two, neither locks.
  for (const [i, base] of [A, B, A, B].entries()) {
    await signIn(base, `wrong guess ${i + 1}`);
    await expect(invalid).toBeVisible();
  }
  // The fifth, on A, is the account's fifth: locked.
  await signIn(A, "wrong guess 5");
  await expect(locked).toBeVisible();
  // B knows of the lock: even the right password waits.
  await signIn(B, user.password);
  await expect(locked).toBeVisible();
  expect((await context.cookies()).some((c) => c.name.includes("session-token"))).toBe(false);
  await context.close();
});
