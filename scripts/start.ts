// `npm start` (production build) and `npm run dev`: prepares the embedded default and starts web.
//  1. creates data/ and the session secret (data/secrets/nextauth-secret, mode 0600) on first start,
//     and checks the public addresses (TETHER_PUBLIC_URL, TETHER_KAS_PUBLIC_AGENT_URL, TETHER_KAS_K8S_PROXY_PUBLIC_URL),
//  2. applies database migrations (SQLite under data/, or PostgreSQL when DATABASE_URL says so),
//  3. builds the web app when the build is missing or older than the sources (`npm start` only),
//  4. runs web (Next.js inside scripts/web-server.ts, which also takes the shell's WebSocket upgrades) on
//     PORT (default 3000) and kas beside it (agents dial TETHER_KAS_AGENT_ADDRESS,
//     default 127.0.0.1:8150), sharing a generated secret (data/secrets/kas-shared-secret); kas is
//     started again if it dies; Ctrl-C stops both.
// `--web-only` starts one more web replica beside a running one: the same steps with the same data/ secrets
// (or the same settings) and database, no kas of its own (it reaches kas at TETHER_KAS_INTERNAL_ADDRESS).
// Each generated secret is written once, atomically: replicas starting together read the same one.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseTarget, describeTarget } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";
import { ensureSelfSignedCert } from "../lib/common/self-signed";
import { withMallocTunables } from "../lib/common/malloc-tunables";
import { describeSmtp, smtpConfig } from "../lib/auth/mail";
import { publicUrls } from "../lib/public-urls";

const root = path.resolve(__dirname, "..");
const dev = process.argv.includes("--dev");
const webOnly = process.argv.includes("--web-only");
const port = Number(process.env.PORT ?? 3000);
const nextBin = path.join(root, "node_modules", ".bin", "next");

/**
 * The secret in data/secrets/<name>, generated on first use: written whole beside it, then linked in, so a
 * replica starting at the same moment reads the first one made, never a half-written or second one. A
 * `--web-only` replica never makes one: a secret of its own (another data/ folder) would split the
 * installation (sessions signed by one replica refused by the other), so it stops and says what to share.
 */
function secretFile(name: string, setting: string): string {
  const dir = path.join(root, "data", "secrets");
  const file = path.join(dir, name);
  if (webOnly && !fs.existsSync(file)) throw joinError(file, setting);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    const draft = path.join(dir, `.${name}.${process.pid}`);
    fs.writeFileSync(draft, randomBytes(32).toString("base64url"), { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}

function joinError(file: string, setting: string): Error {
  return new Error(
    `--web-only joins a running Tether, and ${file} is missing: start the first replica (npm start) with this data folder, or give every replica the same ${setting}`,
  );
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(distDir: string): boolean {
  const id = path.join(root, distDir, "BUILD_ID");
  if (!fs.existsSync(id)) return false;
  const built = fs.statSync(id).mtimeMs;
  const sources = ["app", "components", "lib", "public"].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const configs = ["next.config.ts", "package-lock.json", "postcss.config.mjs"].map(
    (f) => fs.statSync(path.join(root, f)).mtimeMs,
  );
  return Math.max(...sources.map(newestSource), ...configs) < built;
}

async function main(): Promise<void> {
  process.env.NEXTAUTH_SECRET ??= secretFile("nextauth-secret", "NEXTAUTH_SECRET");
  if (!process.env.TETHER_KAS_SHARED_SECRET_FILE) {
    secretFile("kas-shared-secret", "TETHER_KAS_SHARED_SECRET_FILE");
    process.env.TETHER_KAS_SHARED_SECRET_FILE = path.join(root, "data", "secrets", "kas-shared-secret");
  }
  // web makes it on first use too; made here, every replica started by this script finds the same one.
  if (!process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY)
    secretFile("receptive-encryption-key", "TETHER_RECEPTIVE_ENCRYPTION_KEY");
  process.env.TETHER_WEB_URL ??= `http://127.0.0.1:${port}`;
  if (!process.env.TETHER_KAS_K8S_PROXY_TLS_CERT_FILE) {
    // The k8s-proxy's certificate, which web puts in the kubeconfigs it hands out: kas's, never a replica's own.
    const cert = path.join(root, "data", "secrets", "kas-proxy.crt");
    if (webOnly && !fs.existsSync(cert)) throw joinError(cert, "TETHER_KAS_K8S_PROXY_TLS_CERT_FILE");
    const files = await ensureSelfSignedCert(path.join(root, "data", "secrets"));
    process.env.TETHER_KAS_K8S_PROXY_TLS_CERT_FILE = files.cert;
    process.env.TETHER_KAS_K8S_PROXY_TLS_KEY_FILE = files.key;
  }
  // Sign-in links follow the public address unless NEXTAUTH_URL says otherwise.
  process.env.NEXTAUTH_URL ??= process.env.TETHER_PUBLIC_URL?.trim() || `http://localhost:${port}`;
  // Fails fast, listing every bad setting, before anything is built or started.
  const urls = publicUrls(process.env);
  const smtp = smtpConfig(process.env, urls.web.url);
  console.log(
    smtp
      ? `mail: password reset links go out through ${describeSmtp(smtp)} from ${smtp.from}`
      : "mail: no SMTP server (TETHER_SMTP_URL unset): administrators set forgotten passwords",
  );
  const target = databaseTarget();
  const result = await migrate(target, { log: (m) => console.log(m) });
  console.log(`db: ${describeTarget(target)} ready (${result.applied.length} migration(s) applied now)`);

  const distDir = process.env.TETHER_NEXT_DIST_DIR ?? ".next";
  if (!dev && !buildIsCurrent(distDir)) {
    console.log("web: building the production bundle (first start or sources changed; about 1-2 minutes)…");
    const b = spawnSync(nextBin, ["build"], { cwd: root, stdio: "inherit", env: process.env });
    if (b.status !== 0) throw new Error(`next build failed with exit code ${b.status}`);
  }
  // Next.js inside web's own HTTP server (scripts/web-server.ts), which also takes the shell's WebSockets.
  const web = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "web-server.ts"), ...(dev ? ["--dev"] : [])],
    {
      cwd: root,
      stdio: "inherit",
      env: withMallocTunables({ ...process.env, PORT: String(port) }),
    },
  );
  // kas is supervised: if it dies, it is started again (agents reconnect by themselves); web keeps serving.
  let kas: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const startKas = () => {
    kas = spawn(process.execPath, ["--import", "tsx", path.join(root, "kas", "main.ts")], {
      cwd: root,
      stdio: "inherit",
      env: withMallocTunables(process.env),
    });
    if (process.env.TETHER_KAS_PID_FILE && kas.pid) fs.writeFileSync(process.env.TETHER_KAS_PID_FILE, String(kas.pid));
    const startedAt = Date.now();
    kas.on("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) restarts = 0;
      const delay = Math.min(30_000, 500 * 2 ** restarts++);
      console.error(`kas exited (${signal ?? `code ${code}`}); starting it again in ${delay} ms`);
      setTimeout(() => {
        if (!stopping) startKas();
      }, delay);
    });
  };
  if (webOnly) {
    console.log(
      `web: a web replica is starting at ${process.env.NEXTAUTH_URL}; it reaches kas at ${process.env.TETHER_KAS_INTERNAL_ADDRESS ?? "127.0.0.1:8153"} (Ctrl-C stops it)`,
    );
  } else {
    startKas();
    console.log(
      `web: Tether is starting at ${process.env.NEXTAUTH_URL}; kas takes agents on ${process.env.TETHER_KAS_AGENT_ADDRESS ?? "127.0.0.1:8150"} (Ctrl-C stops both)`,
    );
  }
  const loopback = Object.values(urls).filter((u) => u.loopback);
  if (loopback.length > 0) {
    console.log(
      `web: ${loopback.map((u) => `${u.setting} is ${u.url}`).join(", ")}: reachable from this machine only (agents in clusters, other computers and CI jobs cannot use it); set ${loopback.length > 1 ? "them" : "it"} to public addresses`,
    );
  }
  const stop = () => {
    stopping = true;
    web.kill("SIGTERM");
    kas?.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  web.on("exit", (code, signal) => {
    if (!stopping) {
      stopping = true;
      kas?.kill("SIGTERM");
    }
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((e: unknown) => {
  console.error(`start: ${(e as Error).message}`);
  process.exit(1);
});
