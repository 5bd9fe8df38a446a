// End-to-end tests: the real product (scripts/start.ts: migrations, production build, web's server around Next.js)
// on a fresh SQLite database, driven by Debian's Chromium.
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions, e2eServer } from "./e2e/product-server";

const server = e2eServer;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  // Assertions wait up to 10 s (Playwright's default is 5 s): a sign-up (password hashing, redirect, first
  // render) on a busy 2-core machine has been seen to take longer than 5 s.
  expect: { timeout: 10_000 },
  // auth.spec.ts signs up the installation's first account, which becomes the administrator: it runs
  // before every other spec (agents.spec.ts would otherwise sort first and take that role).
  // log-scan.spec.ts reads every log line of the run once the other specs are done.
  projects: [
    { name: "first-account", testMatch: /auth\.spec\.ts$/ },
    { name: "product", testIgnore: /(auth|log-scan)\.spec\.ts$/, dependencies: ["first-account"] },
    { name: "logs", testMatch: /log-scan\.spec\.ts$/, dependencies: ["product"] },
  ],
  use: {
    baseURL: server.baseUrl,
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    // A fresh database for every run.
    command: server.command,
    url: `${server.baseUrl}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: server.env,
  },
});
