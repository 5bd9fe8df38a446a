// End-to-end tests: the real product (scripts/start.ts: migrations, production build, next start)
// on a fresh SQLite database, driven by Debian's Chromium.
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.TETHER_E2E_PORT ?? 3107);
const dataDir = path.join(__dirname, "data", port === 3107 ? "e2e" : `e2e-${port}`);
// kas's ports follow the web port, so two runs (TETHER_E2E_PORT) never collide.
const kasBase = 8160 + (port - 3107);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  // auth.spec.ts signs up the installation's first account, which becomes the administrator: it runs
  // before every other spec (agents.spec.ts would otherwise sort first and take that role).
  projects: [
    { name: "first-account", testMatch: /auth\.spec\.ts$/ },
    { name: "product", testIgnore: /auth\.spec\.ts$/, dependencies: ["first-account"] },
  ],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.TETHER_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    // A fresh database for every run.
    command: `rm -rf ${dataDir} && npx tsx scripts/start.ts`,
    url: `http://localhost:${port}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dataDir, "tether.db")}`,
      NEXTAUTH_URL: `http://localhost:${port}`,
      LOG_LEVEL: "warn",
      // Its own kas ports, so that a running `npm start` does not collide with the tests.
      TETHER_KAS_AGENT_ADDRESS: `127.0.0.1:${kasBase}`,
      TETHER_KAS_INTERNAL_ADDRESS: `127.0.0.1:${kasBase + 3}`,
      TETHER_KAS_OBSERVABILITY_ADDRESS: `127.0.0.1:${kasBase + 1}`,
      TETHER_KAS_K8S_PROXY_ADDRESS: `127.0.0.1:${kasBase + 4}`,
      // kas re-checks connected agents' tokens every 2 s (30 s in production), so a revoked token's
      // agent drops within seconds in agents.spec.ts.
      TETHER_KAS_TOKEN_RECHECK_MS: "2000",
      // The live-view spec stops kas to see the page say Reconnecting; start.ts starts it again.
      TETHER_KAS_PID_FILE: path.join(dataDir, "kas.pid"),
    },
  },
});
