// `npm run test:versions [-- 1.32 | 1.32.13 ...]`: the version matrix, tested for real. For each
// Kubernetes minor the support policy covers, take its release in testbed/versions.ts MATRIX_RELEASES
// (the newest the Go module proxy serves complete), build the testbed binaries for it if the cache lacks them (one version at a time, with progress),
// run the tunnel smoke suite against a testbed of that version, and record
// {kubernetesVersion, result, date, commit} in lib/versions/smoke-results.json, which
// /kubernetes-versions shows. Commit that file afterwards.
//
// Results name the commit that was tested, so the run refuses to record them when tracked files other
// than the results file have uncommitted changes (pass --allow-dirty to run anyway without recording).
// A release whose testbed cannot be built gets no result: that is not a verdict on Tether.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { minorsToTest } from "../lib/versions/rules";
import { parseSmokeResults, type SmokeResult } from "../lib/versions/results";
import { binariesPresent, ensureTestbedBinaries } from "../testbed/build";
import { MATRIX_RELEASES } from "../testbed/versions";
import { mergeResults, outcome, planReleases, resultsFileText, type VitestReport } from "./test-versions-plan";

const root = path.resolve(__dirname, "..");
const RESULTS_FILE = path.join(root, "lib", "versions", "smoke-results.json");
const RESULTS_REL = path.relative(root, RESULTS_FILE);
const SMOKE_SUITE = "agent/smoke.int.test.ts";

function git(...args: string[]): string {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function servedReleases(): string[] {
  // Outside any module, so the answer is the proxy's list and nothing else.
  const r = spawnSync("go", ["list", "-m", "-versions", "-json", "k8s.io/kubernetes"], {
    cwd: os.tmpdir(),
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "on" },
  });
  if (r.status !== 0) {
    console.warn(
      `(could not list the releases the Go module proxy serves, so newer patches go unnoticed: ${r.stderr.trim()})`,
    );
    return [];
  }
  return (JSON.parse(r.stdout) as { Versions?: string[] }).Versions ?? [];
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

function runSmoke(version: string, reportFile: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      "npx",
      [
        "vitest",
        "run",
        "--project",
        "integration",
        SMOKE_SUITE,
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${reportFile}`,
      ],
      {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, TETHER_TESTBED_KUBERNETES: version, FORCE_COLOR: process.env.CI ? "0" : "1" },
      },
    );
    child.on("exit", (code) => resolve(code));
    child.on("error", () => resolve(null));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const allowDirty = args.includes("--allow-dirty");
  const only = args.filter((a) => !a.startsWith("--"));

  const dirty = git("status", "--porcelain", "--untracked-files=no")
    .split("\n")
    .filter((l) => l && !l.endsWith(RESULTS_REL));
  if (dirty.length && !allowDirty) {
    console.error(
      `test:versions records the commit it tested, but these tracked files have uncommitted changes:\n${dirty.join("\n")}\nCommit them first (or pass --allow-dirty to run without recording results).`,
    );
    process.exit(2);
  }
  const record = dirty.length === 0;
  const commit = git("rev-parse", "HEAD");

  const served = servedReleases();
  const minors = minorsToTest(new Date());
  const plan = planReleases(minors, MATRIX_RELEASES, served, only);
  console.log(
    `Minors the policy needs tested today (supported, or released and not yet supported): ${minors.map((m) => m.minor).join(", ")}`,
  );
  console.log(`Releases to test: ${plan.releases.map((r) => r.version).join(", ") || "none"}`);
  for (const n of plan.newerListed) {
    console.log(
      `  ${n.minor}: the proxy lists ${n.listed}, newer than ${n.pinned}; see testbed/versions.ts for why it is not used (check again: npm run testbed:module -- ${n.listed})`,
    );
  }
  if (plan.untestable.length)
    console.log(`Supported, but no release the Go module proxy serves complete: ${plan.untestable.join(", ")}`);

  const summary: { version: string; build: string; run: string; result: string }[] = [];
  const fresh: SmokeResult[] = [];
  for (const { version } of plan.releases) {
    console.log(`\n══ Kubernetes v${version}`);
    let build = "cached";
    if (!binariesPresent(version)) {
      const t0 = Date.now();
      try {
        await ensureTestbedBinaries(version, (m) => console.log(m));
        build = minutes(Date.now() - t0);
      } catch (e) {
        console.error(
          `testbed for v${version} could not be built; no result recorded:\n${e instanceof Error ? e.message : String(e)}`,
        );
        summary.push({ version, build: `failed after ${minutes(Date.now() - t0)}`, run: "-", result: "not run" });
        continue;
      }
    }
    const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tether-versions-")), "report.json");
    const t0 = Date.now();
    const code = await runSmoke(version, reportFile);
    let report: VitestReport | null = null;
    try {
      report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as VitestReport;
    } catch {
      /* no report: the run did not get that far */
    }
    fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
    const result = outcome(code, report);
    fresh.push({ kubernetesVersion: version, result, date: new Date().toISOString(), commit });
    summary.push({
      version,
      build,
      run: minutes(Date.now() - t0),
      result: `${result} (${report?.numPassedTests ?? 0}/${report?.numTotalTests ?? 0} tests)`,
    });
  }

  if (record && fresh.length) {
    const existing = parseSmokeResults(JSON.parse(fs.readFileSync(RESULTS_FILE, "utf8")));
    fs.writeFileSync(RESULTS_FILE, resultsFileText(mergeResults(existing, fresh)));
  }

  console.log("\n══ summary");
  console.log("version    build        smoke run  result");
  for (const s of summary) console.log(`${s.version.padEnd(10)} ${s.build.padEnd(12)} ${s.run.padEnd(10)} ${s.result}`);
  if (plan.untestable.length)
    console.log(`not tested (no release the Go module proxy serves complete): ${plan.untestable.join(", ")}`);
  console.log(
    record
      ? fresh.length
        ? `\nwrote ${RESULTS_REL} (commit ${commit.slice(0, 9)}); commit it.`
        : "\nnothing to record"
      : "\n--allow-dirty: results not recorded",
  );
  if (summary.some((s) => !s.result.startsWith("pass"))) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
