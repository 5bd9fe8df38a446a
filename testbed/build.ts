// Builds the testbed's binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
// etcd, kwok) from the Go module proxy into a per-version cache, and reuses them when present.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { withCacheLock } from "./cache-lock";
import { ensureKubernetesModule } from "./kubernetes-module";
import { type Log, run } from "./run";
import { KUBERNETES_BINARIES, TESTBED_DEFAULT_KUBERNETES, binDir, parseKubernetesVersion } from "./versions";

const goRoot = path.join(__dirname, "go");
const MARKER = ".complete";

export { TestbedStepError, run, tail, type Log } from "./run";

/** Prints a running count of compiled packages every few seconds while `go build -v` works. */
export function progress(label: string, log: Log) {
  const started = Date.now();
  let packages = 0;
  const timer = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  ${label}: ${packages} packages compiled (${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, "0")}s)`);
  }, 15_000);
  return {
    onLine: (line: string) => {
      if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line.trim())) packages++;
    },
    done: () => {
      clearInterval(timer);
      log(`  ${label}: done in ${Math.round((Date.now() - started) / 1000)}s`);
    },
  };
}

function versionLdflags(version: string): string {
  const { major, minor } = parseKubernetesVersion(version);
  const parts: string[] = [];
  for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
    parts.push(
      `-X ${pkg}.gitVersion=v${version}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return `-s -w ${parts.join(" ")}`;
}

/** kwok needs stages (node heartbeat, pod ready, ...); they ship as YAML inside its module. */
const KWOK_STAGES = [
  "node/fast/node-initialize.yaml",
  "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "pod/fast/pod-ready.yaml",
  "pod/fast/pod-complete.yaml",
  "pod/fast/pod-delete.yaml",
];
export const KWOK_STAGES_FILE = "kwok-stages.yaml";

async function writeKwokStages(out: string): Promise<void> {
  const info = JSON.parse(
    await run("locate kwok module", "go", ["list", "-m", "-json", "sigs.k8s.io/kwok"], {
      cwd: path.join(goRoot, "kwok"),
    }),
  ) as { Dir: string };
  const docs = await Promise.all(
    KWOK_STAGES.map((f) => fsp.readFile(path.join(info.Dir, "kustomize", "stage", f), "utf8")),
  );
  await fsp.writeFile(path.join(out, KWOK_STAGES_FILE), docs.map((d) => d.trim()).join("\n---\n") + "\n");
}

export function binariesPresent(version: string = TESTBED_DEFAULT_KUBERNETES): boolean {
  return fs.existsSync(path.join(binDir(version), MARKER));
}

/**
 * Builds every testbed binary for `version` unless the cache already has them; returns the folder.
 * Concurrent callers wait for one build (a lock in the cache) rather than each starting their own.
 */
export async function ensureTestbedBinaries(
  version: string = TESTBED_DEFAULT_KUBERNETES,
  log: Log = (m) => console.log(m),
): Promise<string> {
  parseKubernetesVersion(version);
  const out = binDir(version);
  return withCacheLock(
    `kubernetes-v${version}`,
    () => binariesPresent(version),
    () => buildTestbedBinaries(version, out, log),
    () => out,
    log,
  );
}

async function buildTestbedBinaries(version: string, out: string, log: Log): Promise<string> {
  await fsp.mkdir(out, { recursive: true });
  const started = Date.now();
  log(`testbed: building Kubernetes v${version} binaries into ${out} (first time only; several minutes on 2 cores)`);
  const env = { CGO_ENABLED: "0" };
  // First, so that a release the Go module proxy does not serve fails in seconds, not after etcd.
  const mod = await ensureKubernetesModule(version, log);

  log("[1/3] etcd");
  let p = progress("etcd", log);
  await run("build etcd", "go", ["build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", path.join(out, "etcd"), "."], {
    cwd: path.join(goRoot, "etcd"),
    env,
    onLine: p.onLine,
  }).finally(p.done);

  log("[2/3] kwok");
  p = progress("kwok", log);
  await run(
    "build kwok",
    "go",
    ["build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", path.join(out, "kwok"), "sigs.k8s.io/kwok/cmd/kwok"],
    {
      cwd: path.join(goRoot, "kwok"),
      env,
      onLine: p.onLine,
    },
  ).finally(p.done);
  await writeKwokStages(out);

  log(`[3/3] ${KUBERNETES_BINARIES.join(", ")} v${version}`);
  p = progress("kubernetes", log);
  await run(
    "build kubernetes",
    "go",
    [
      "build",
      "-v",
      "-trimpath",
      "-ldflags",
      versionLdflags(version),
      "-o",
      out + path.sep,
      ...KUBERNETES_BINARIES.map((b) => `k8s.io/kubernetes/cmd/${b}`),
    ],
    { cwd: mod, env, onLine: p.onLine },
  ).finally(p.done);

  await fsp.writeFile(path.join(out, MARKER), new Date().toISOString() + "\n");
  log(`testbed: binaries ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return out;
}
