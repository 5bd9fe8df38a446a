// `npm test`: everything CI checks, in order, with the time each step took.
// Needs the testbed binaries (npm run testbed:build), PostgreSQL on 127.0.0.1:5432 (or
// TETHER_TEST_POSTGRES_URL) and Debian's chromium; .ci/run sets all of that up.
import { spawnSync } from "node:child_process";

const steps: { name: string; cmd: string[] }[] = [
  { name: "typecheck", cmd: ["npx", "tsc", "--noEmit"] },
  { name: "lint", cmd: ["npx", "eslint", "--max-warnings=0", "."] },
  { name: "formatting (Prettier)", cmd: ["npx", "prettier", "--check", "--log-level=warn", "."] },
  { name: "unit tests", cmd: ["npx", "vitest", "run", "--project", "unit"] },
  { name: "database tests (SQLite and PostgreSQL)", cmd: ["npx", "vitest", "run", "--project", "db"] },
  { name: "integration tests (real testbed)", cmd: ["npx", "vitest", "run", "--project", "integration"] },
  { name: "production build", cmd: ["npx", "next", "build"] },
  { name: "end-to-end tests (Chromium)", cmd: ["npx", "playwright", "test"] },
];

const only = process.argv.slice(2);
const results: { name: string; seconds: number; ok: boolean }[] = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n── ${step.name}: ${step.cmd.join(" ")}`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd[0]!, step.cmd.slice(1), {
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" },
  });
  results.push({ name: step.name, seconds: (Date.now() - t0) / 1000, ok: r.status === 0 });
  if (r.status !== 0) break;
}
console.log("\n── summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"}  ${r.seconds.toFixed(1).padStart(6)}s  ${r.name}`);
const failed = results.find((r) => !r.ok);
if (failed) {
  console.error(`\nnpm test: "${failed.name}" failed`);
  process.exit(1);
}
