// `npm run bench:live-browser -- --logs`: a pod's log of 100,000 lines followed in the real product, in Debian's
// Chromium. The testbed with kwok (which serves every container's log from one file on disk), a pod running on
// its node, the product as the e2e specs run it, a real agent process; the pod's drawer follows its log. Two
// ways 100,000 lines arrive: appended to the file while the view follows (kwok → API server → agent → kas → web
// → page as they are written), and opened at once (Last lines: 100,000). For each, timed in the page: the
// first new line in the view, and all of them (the newest in the view). Then, on the 100,000 lines: frames
// per second while the log is scrolled programmatically (one scroll step per animation frame, counting frames),
// and the page's memory (JS heap after a garbage collection, DOM nodes, log lines in the DOM).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { ensureTestbedBinaries } from "../../testbed/build";
import { apiserverRequest, startPod, startTestbed, type Testbed } from "../../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import { startAgentProcess, type Proc } from "../../testbed/tunnel-stack";
import { chromiumLaunchOptions, productServer } from "../../e2e/product-server";
import { createProjectAgent, newUser, submitSignUp } from "../../e2e/helpers";
import { percentile } from "../common";

const LINES = Number(process.env.BENCH_LOG_LINES ?? 100_000);
const PORT = Number(process.env.BENCH_PORT ?? 3217);
const NS = "logs";
const POD = "chatty";
const root = path.resolve(__dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A log line as a busy service writes one: ~110 characters. */
export function logText(kind: string, i: number): string {
  const n = String(i).padStart(6, "0");
  return `${kind} ${n} level=info msg="request served" method=GET path=/api/v1/items/${i % 977} status=200 bytes=${(i * 37) % 9000} ms=${i % 83}`;
}

/** `count` lines in kwok's CRI log format, `<RFC 3339 time> stdout F <text>`. */
function criLines(kind: string, count: number): string {
  const t0 = Date.now();
  const out: string[] = [];
  for (let i = 1; i <= count; i++) out.push(`${new Date(t0 + i).toISOString()} stdout F ${logText(kind, i)}\n`);
  return out.join("");
}

/** The product as the e2e specs run it, on its own port and data directory; resolves once it serves pages. */
async function startProduct(logFile: string): Promise<ChildProcess> {
  const server = productServer(PORT, `bench-${PORT}`);
  const log = fs.openSync(logFile, "a");
  const child = spawn("sh", ["-c", server.command], {
    cwd: root,
    env: { ...process.env, ...server.env },
    stdio: ["ignore", log, log],
    detached: true,
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the product exited with ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(`${server.baseUrl}/sign-in`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (Date.now() > deadline) throw new Error(`the product did not start within 10 minutes; see ${logFile}`);
    await sleep(1_000);
  }
}

/**
 * tsx compiles the functions this file runs in the page keeping their inner functions' names, with a helper
 * (`__name`) that only exists here: the page gets one that does the same (nothing).
 */
export const NAME_HELPER = "globalThis.__name = (f) => f;";

/** Milliseconds since the epoch, in the page's clock (the same machine's as ours). */
interface Arrival {
  first: number;
  all: number;
}

/**
 * In the page, each animation frame: the lines the log holds (its status line) and the lines in the DOM. Resolves
 * (epoch ms) when the status has first shown `held > from` after `armed` (a line arrived), and when `last` is
 * in the DOM with `total` lines held (all arrived, the view at the newest).
 */
export function watchArrival(
  page: Page,
  o: { from: number; total: number; last: string; reset: boolean },
): Promise<Arrival> {
  return page.evaluate(
    (o) =>
      new Promise<Arrival>((resolve, reject) => {
        const section = document.querySelector('section[aria-label="Logs"]')!;
        const now = () => performance.timeOrigin + performance.now();
        const give = now() + 600_000;
        let first = 0;
        // Opening anew, the view first empties (Loading…), then fills: only lines after that count.
        let emptied = !o.reset;
        let before = -1;
        const held = () => {
          const s = section.querySelector("[data-log-state]");
          if (s?.textContent?.startsWith("Loading")) return 0;
          const m = /(\d+) lines?/.exec(s?.textContent ?? "");
          return m ? Number(m[1]) : 0;
        };
        const tick = () => {
          const n = held();
          // Emptied: it said Loading… or 0 lines, or it holds fewer than a frame ago.
          if (!emptied && (n === 0 || (before >= 0 && n < before))) emptied = true;
          before = n;
          if (emptied && !first && n > o.from) first = now();
          if (first && n === o.total) {
            const lines = section.querySelectorAll("[data-log-line]");
            if ([...lines].some((l) => l.textContent === o.last)) return resolve({ first, all: now() });
          }
          if (now() > give) return reject(new Error(`not all lines arrived: ${n} held`));
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    o,
  );
}

interface Frames {
  fps: number;
  p95FrameMs: number;
  longestFrameMs: number;
  framesOver50ms: number;
  /** Lines the view showed at the sampled positions that were the ones expected there. */
  rightLines: string;
}

/**
 * Scrolls the log one step per animation frame for `ms` and counts the frames drawn. "jump": the log is
 * crossed from the newest line to the oldest (a new stretch of lines each frame, as a dragged scrollbar does);
 * "wheel": 3 lines a frame upwards, as a mouse wheel. Every 10th frame, checks the line at the top of the view is
 * the one its position says.
 */
export function scrollFrames(page: Page, mode: "jump" | "wheel", ms: number): Promise<Frames> {
  return page.evaluate(
    ({ mode, ms }) =>
      new Promise<Frames>((resolve) => {
        const el = document.querySelector<HTMLElement>('section[aria-label="Logs"] [role=log]')!;
        const lineHeight = 18;
        el.scrollTop = el.scrollHeight;
        const top = el.scrollHeight - el.clientHeight;
        const frames: number[] = [];
        let checked = 0;
        let right = 0;
        let start = 0;
        let last = 0;
        const step = (t: number) => {
          if (!start) start = last = t;
          else {
            frames.push(t - last);
            last = t;
          }
          if (frames.length % 10 === 9) {
            // The line drawn at the view's top (its padding aside) is the one at that scroll position.
            const want = Math.floor(el.scrollTop / lineHeight);
            const at = document.elementFromPoint(
              el.getBoundingClientRect().left + 20,
              el.getBoundingClientRect().top + 8 + lineHeight / 2,
            );
            const line = at?.closest("[data-log-line]");
            checked++;
            if (line && Math.abs(Number(line.getAttribute("data-index")) - want) <= 1) right++;
          }
          if (t - start >= ms) {
            const sorted = [...frames].sort((a, b) => a - b);
            resolve({
              fps: (frames.length / (t - start)) * 1000,
              p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
              longestFrameMs: sorted[sorted.length - 1] ?? 0,
              framesOver50ms: frames.filter((f) => f > 50).length,
              rightLines: `${right}/${checked}`,
            });
            return;
          }
          const elapsed = t - start;
          el.scrollTop = mode === "jump" ? top * (1 - elapsed / ms) : el.scrollTop - 3 * lineHeight;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    { mode, ms },
  );
}

/** The page's JS heap after a garbage collection, its DOM nodes, and the log lines in the DOM. */
export async function pageMemory(page: Page): Promise<{ heapMiB: number; nodes: number; lineNodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.enable");
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
    const lineNodes = await page.locator('section[aria-label="Logs"] [data-log-line]').count();
    return { heapMiB: m("JSHeapUsedSize") / 1024 / 1024, nodes: m("Nodes"), lineNodes };
  } finally {
    await cdp.detach();
  }
}

export async function logsCase(): Promise<void> {
  const version = TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version, (m) => console.log(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-logs-"));
  const server = productServer(PORT, `bench-${PORT}`);
  let tb: Testbed | undefined;
  let product: ChildProcess | undefined;
  let agent: Proc | undefined;
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    tb = await startTestbed({ dir: path.join(dir, "testbed"), version });
    const logsFile = tb.streams!.logsFile;
    console.log(`bench: starting the product on port ${PORT} (log ${path.join(dir, "product.log")})…`);
    product = await startProduct(path.join(dir, "product.log"));
    await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: NS } });
    await startPod(tb, NS, POD, ["main"], 60_000);
    // Tether users (impersonated in group tether:user) read pods and their logs.
    const rbac = "/apis/rbac.authorization.k8s.io/v1";
    await apiserverRequest(tb, "POST", `${rbac}/clusterroles`, {
      metadata: { name: "tether-bench-logs" },
      rules: [
        { apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    });
    await apiserverRequest(tb, "POST", `${rbac}/clusterrolebindings`, {
      metadata: { name: "tether-bench-logs" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "tether-bench-logs" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "tether:user" }],
    });

    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    await context.addInitScript(NAME_HELPER);
    const page = await context.newPage();
    const user = newUser("benchlogs");
    await submitSignUp(page, user);
    await page.waitForURL(/\/projects$/);
    const agentInfo = await createProjectAgent(page, user, "benchlogs");
    agent = await startAgentProcess({
      kasAgentPort: Number(new URL(server.kasAgentAddress).port),
      token: agentInfo.token,
      kubeconfig: tb.kubeconfig,
      dir,
    });
    for (let i = 0; ; i++) {
      const r = await page.request.get(`/api/agents/${agentInfo.agentId}/discovery`);
      if (r.ok()) break;
      if (i > 120) throw new Error(`the agent did not connect: ${r.status()} ${await r.text()}`);
      await sleep(500);
    }

    // The pod's drawer, its log followed (the last 500 lines: the testbed's first two).
    await page.goto(`${agentInfo.clusterUrl}?kind=pods&namespace=${NS}&open=${NS}/${POD}`);
    const logs = page.getByRole("region", { name: "Logs", exact: true });
    const status = logs.locator("[data-log-state]");
    await status.filter({ hasText: /^Following · 2 lines$/ }).waitFor({ timeout: 120_000 });
    const before = await pageMemory(page);

    // 1. Appended while followed: one write of LINES lines to the file kwok serves.
    const appended = watchArrival(page, {
      from: 2,
      total: Math.min(2 + LINES, 100_000),
      last: logText("followed", LINES),
      reset: false,
    });
    await sleep(100);
    const written = Date.now();
    await fsp.appendFile(logsFile, criLines("followed", LINES));
    const follow = await appended;
    console.log(
      `bench: ${LINES} lines appended: first in the view ${(follow.first - written).toFixed(0)} ms, all ${(follow.all - written).toFixed(0)} ms after the write`,
    );

    // 2. Opened at once: Last lines 100,000 asks the cluster anew for the file's newest LINES lines.
    const opened = watchArrival(page, { from: 0, total: LINES, last: logText("followed", LINES), reset: true });
    const picked = await page.evaluate(() => performance.timeOrigin + performance.now());
    await logs.getByLabel("Last lines").selectOption(String(LINES));
    const open = await opened;
    console.log(
      `bench: Last lines ${LINES} picked: first line ${(open.first - picked).toFixed(0)} ms, all ${(open.all - picked).toFixed(0)} ms`,
    );
    const after = await pageMemory(page);

    // 3. Scrolling the 100,000 lines.
    const runs: Record<"jump" | "wheel", Frames[]> = { jump: [], wheel: [] };
    for (let i = 0; i < 3; i++)
      for (const mode of ["jump", "wheel"] as const) runs[mode].push(await scrollFrames(page, mode, 3_000));

    const cols = (a: string, b: string, c: string, d = "") =>
      console.log(`${a.padEnd(46)} ${b.padStart(10)} ${c.padEnd(4)} ${d}`);
    console.log(
      `\nbench/live-browser (logs) — Kubernetes ${version}, ${LINES} lines of ~110 characters, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    cols("measure", "value", "unit");
    cols("appended while followed → first line in view", (follow.first - written).toFixed(0), "ms");
    cols("appended while followed → all lines in view", (follow.all - written).toFixed(0), "ms");
    cols(`Last lines ${LINES} picked → first line`, (open.first - picked).toFixed(0), "ms");
    cols(`Last lines ${LINES} picked → all lines in view`, (open.all - picked).toFixed(0), "ms");
    for (const mode of ["jump", "wheel"] as const) {
      const r = runs[mode];
      const med = (f: (x: Frames) => number) => percentile(r.map(f), 50);
      const label = mode === "jump" ? "scrolling across all lines in 3 s" : "scrolling 3 lines a frame";
      cols(
        `${label}: frames/s (p50 of 3)`,
        med((x) => x.fps).toFixed(1),
        "fps",
        `p95 frame ${med((x) => x.p95FrameMs).toFixed(1)} ms, longest ${Math.max(...r.map((x) => x.longestFrameMs)).toFixed(0)} ms, frames > 50 ms ${r.map((x) => x.framesOver50ms).join("/")}, right line at top ${r.map((x) => x.rightLines).join(" ")}`,
      );
    }
    cols("page JS heap after GC, 2 lines held", before.heapMiB.toFixed(1), "MiB");
    cols(`page JS heap after GC, ${LINES} lines held`, after.heapMiB.toFixed(1), "MiB");
    cols(`DOM nodes, 2 → ${LINES} lines held`, `${before.nodes} → ${after.nodes}`, "");
    cols(`log lines in the DOM with ${LINES} held`, String(after.lineNodes), "");
    console.log(
      "Times are the page's clock (performance.timeOrigin + now, checked every animation frame) from the file's write, or from the pick; frames are requestAnimationFrame callbacks while one scroll step is taken per frame (headless Chromium draws at most 60 a second).",
    );
  } finally {
    await browser.close();
    await agent?.kill();
    if (product?.pid) {
      try {
        process.kill(-product.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      await new Promise((r) => (product!.exitCode !== null ? r(null) : product!.once("exit", r)));
    }
    await tb?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
