// The web image as its Dockerfile assembles it (deploy/web/image-layout.ts applies the runtime stage's COPY
// lines to a folder with no node_modules above it): the migration runner in it migrates a fresh PostgreSQL
// database, and its CMD (web's own server, scripts/web-server.ts bundled as server.js), configured as the chart
// configures the web container, serves the app, its probes, Tether's Helm repository and the pod shell's
// WebSocket. The first run builds the standalone output (minutes); later runs reuse it while it is newer than
// the sources.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createDb } from "@/lib/db/client";
import { listMigrations } from "@/lib/db/migrate";
import { freshDatabase, TEST_POSTGRES_ADMIN_URL, type TestDatabase } from "@/lib/db/test-databases";
import { SHELL_CLOSE, shellPath } from "@/lib/pod-shell/protocol";
import { freePort } from "@/testbed/redis";
import { assembleWebImage, buildWebImageParts, DOCKERFILE, imageNodeArgs, type ImageCopy } from "./image-layout";

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** What a WebSocket handshake came to: refused with an HTTP answer, or opened and then closed with a code. */
type Handshake = { refused: number; body: string } | { closed: number; reason: string; messages: unknown[] };

/** Opens a WebSocket as the page does and follows it to its end (refusal or close). */
function handshake(url: string, headers: Record<string, string>): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: unknown[] = [];
    ws.on("message", (data: Buffer, binary: boolean) => {
      if (!binary) messages.push(JSON.parse(data.toString()));
    });
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.on("end", () => resolve({ refused: res.statusCode ?? 0, body }));
    });
    ws.on("close", (code, reason) => resolve({ closed: code, reason: reason.toString(), messages }));
    ws.on("error", reject);
  });
}

/** Only what a container has: PATH and HOME, no developer settings such as DATABASE_URL or NODE_OPTIONS. */
function containerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...extra, PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), NODE_ENV: "production" };
}

describe("the web image", () => {
  let dir: string;
  let copies: ImageCopy[];
  let database: TestDatabase;
  let databaseUrl: string;
  let server: ChildProcess | undefined;
  let serverOut = "";
  let base: string;
  const nextAuthSecret = randomBytes(32).toString("base64url");
  const metricsToken = randomBytes(24).toString("base64url");

  beforeAll(async () => {
    await buildWebImageParts();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-web-image-"));
    copies = assembleWebImage(dir);
    database = await freshDatabase("postgresql");
    if (database.target.provider !== "postgresql") throw new Error("expected PostgreSQL");
    databaseUrl = database.target.url;
  }, 20 * 60_000);

  afterAll(async () => {
    const s = server;
    if (s && s.exitCode === null) {
      const exited = new Promise((resolve) => s.once("exit", resolve));
      s.kill("SIGTERM");
      await exited;
    }
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds web's server, Next.js's standalone build, its static files, the migrations and their runner, and no local data", () => {
    const dockerfile = fs.readFileSync(DOCKERFILE, "utf8");
    expect(dockerfile).toMatch(
      /RUN TETHER_NEXT_OUTPUT=standalone npx next build && npm run build:web-server && npm run build:migrate/,
    );
    expect(imageNodeArgs(dockerfile)).toEqual(["server.js"]);
    expect(dockerfile).toMatch(/^USER 65532:65532$/m);
    expect(copies.map((c) => c.from)).toEqual(
      expect.arrayContaining(["/src/.next/standalone/", "/src/.next/static", "/src/prisma/migrations"]),
    );
    for (const f of [
      "server.js",
      ".next-standalone/required-server-files.json",
      "dist/migrate/db-migrate.js",
      "deploy/agent/chart/Chart.yaml",
      "deploy/agent/manifest.yaml",
    ])
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(
      fs
        .readdirSync(path.join(dir, "prisma", "migrations"))
        .filter((n) => !n.endsWith(".prisma"))
        .sort(),
    ).toEqual(listMigrations("postgresql").map((m) => m.name));
    // Its links stay inside it (Turbopack's links to external packages), and nothing above the folder could lend
    // it a module: it runs on what it holds.
    const links = fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isSymbolicLink())
      .map((e) => path.join(e.parentPath, e.name));
    for (const link of links) expect(path.relative(dir, fs.realpathSync(link)).startsWith(".."), link).toBe(false);
    for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d))
      expect(fs.existsSync(path.join(d, "node_modules")), d).toBe(false);
    for (const left of ["data", "e2e", "testbed", "bench", "deploy/tether"])
      expect(fs.existsSync(path.join(dir, left)), left).toBe(false);
  });

  it("migrates a fresh PostgreSQL database with its own runner, and a second run applies nothing", async () => {
    const env = containerEnv({ DATABASE_URL: databaseUrl });
    const first = await run(process.execPath, ["--enable-source-maps", "dist/migrate/db-migrate.js"], {
      cwd: dir,
      env,
    });
    expect(first.out).toContain(
      `(${listMigrations("postgresql").length} applied now, ${listMigrations("postgresql").length} in all)`,
    );
    expect(first.code).toBe(0);
    const second = await run(process.execPath, ["dist/migrate/db-migrate.js"], { cwd: dir, env });
    expect(second.out).toContain("(0 applied now,");
    expect(second.code).toBe(0);
  });

  it("refuses a database URL that is no PostgreSQL or SQLite URL, saying so", async () => {
    const bad = await run(process.execPath, ["dist/migrate/db-migrate.js"], {
      cwd: dir,
      env: containerEnv({ DATABASE_URL: "mysql://tether@db/tether" }),
    });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("DATABASE_URL must start with postgres://, postgresql:// or file:");
  });

  it("serves the app, /healthz, /readyz and the Helm repository with the chart's settings, as its CMD starts it", async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const secrets = fs.mkdtempSync(path.join(dir, "secrets-"));
    fs.writeFileSync(path.join(secrets, "kas-shared-secret"), randomBytes(32).toString("base64url"), { mode: 0o600 });
    const child = spawn(process.execPath, imageNodeArgs(fs.readFileSync(DOCKERFILE, "utf8")), {
      cwd: dir,
      env: containerEnv({
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: nextAuthSecret,
        NEXTAUTH_URL: base,
        TETHER_PUBLIC_URL: base,
        TETHER_KAS_PUBLIC_AGENT_URL: "grpcs://kas.example.test:8150",
        TETHER_KAS_K8S_PROXY_PUBLIC_URL: "https://kas.example.test:8154",
        TETHER_KAS_INTERNAL_ADDRESS: "127.0.0.1:1",
        TETHER_KAS_SHARED_SECRET_FILE: path.join(secrets, "kas-shared-secret"),
        TETHER_RECEPTIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        TETHER_WEB_METRICS_TOKEN: metricsToken,
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    child.stdout.on("data", (b: Buffer) => (serverOut += b.toString()));
    child.stderr.on("data", (b: Buffer) => (serverOut += b.toString()));
    // Seconds on an idle machine; allow for two busy cores.
    const until = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null || Date.now() > until)
        throw new Error(`web did not start (exit ${child.exitCode}):\n${serverOut.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const healthz = await fetch(`${base}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.text()).toBe("ok\n");
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.text()).toBe("ok\n");

    // The sign-in page renders, and its stylesheet is served from the copied static files.
    const signIn = await fetch(`${base}/sign-in`);
    expect(signIn.status).toBe(200);
    const html = await signIn.text();
    expect(html).toContain("Sign in");
    const css = /href="(\/_next\/static\/[^"]+\.css)"/.exec(html)?.[1];
    expect(css, "a stylesheet link").toBeDefined();
    const style = await fetch(`${base}${css}`);
    expect(style.status).toBe(200);

    // Tether's Helm repository packs the agent chart the image carries.
    const index = await fetch(`${base}/charts/index.yaml`);
    expect(index.status).toBe(200);
    const yaml = await index.text();
    expect(yaml).toMatch(/^ {2}tether-agent:$/m);
    const tgz = /(tether-agent-[\d.]+\.tgz)/.exec(yaml)?.[1];
    expect(tgz).toBeDefined();
    const pkg = await fetch(`${base}/charts/${tgz}`);
    expect(pkg.status).toBe(200);
    expect(pkg.headers.get("content-type")).toBe("application/gzip");
  }, 120_000);

  it("takes the pod shell's WebSocket upgrade: a signed-in page gets the shell's answer, no session a refusal", async () => {
    // A user of the image's database, signed in as next-auth signs a session.
    const db = createDb({ provider: "postgresql", url: databaseUrl });
    const user = await db.user
      .create({ data: { email: "shell@example.test", username: "shell", name: "Shell" } })
      .finally(() => db.$disconnect());
    const cookie = `next-auth.session-token=${await encode({
      token: { uid: user.id, sessionVersion: user.sessionVersion },
      secret: nextAuthSecret,
    })}`;
    const url = `${base.replace(/^http/, "ws")}${shellPath("no-such-agent", {
      namespace: "default",
      pod: "box",
      container: "main",
      command: ["sh"],
    })}`;

    // Upgraded by the shell's server, which then finds no such agent for this user: its close code and reason,
    // after its "end" message (Next.js's own server ends the handshake of a path it has no upgrade for).
    const opened = await handshake(url, { origin: base, cookie });
    expect(opened).toEqual({
      closed: SHELL_CLOSE.notFound,
      reason: "agent not found",
      messages: [{ type: "end", code: SHELL_CLOSE.notFound, reason: "agent not found", exitCode: null }],
    });
    // Without a session the shell's server refuses the handshake itself, in its words.
    const refused = await handshake(url, { origin: base });
    expect(refused).toEqual({
      refused: 401,
      body: JSON.stringify({ error: "Sign in first (your session may have expired)" }),
    });
    // The shell's metrics (counted by the server's bundle) are in the scrape Next.js's route serves.
    const metrics = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^tether_web_shell_sessions_total\{outcome="invalid"\} 1$/m);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("is live but not ready once the database is gone, and ready again when it is back", async () => {
    const name = new URL(databaseUrl).pathname.slice(1);
    const admin = new Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      // Refuse new connections to the database and end the server's pooled ones.
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.text()).toBe("not ready: the database does not answer\n");
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(serverOut).toMatch(/"msg":"not ready: the database does not answer"/);
      expect(serverOut).not.toContain(databaseUrl);
    } finally {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const up = await fetch(`${base}/readyz`);
    expect(up.status).toBe(200);
  });
});
