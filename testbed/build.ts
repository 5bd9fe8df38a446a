// Builds the testbed's binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
// etcd, kwok) from the Go module proxy into a per-version cache, and reuses them when present.
import { spawn } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  KUBERNETES_BINARIES,
  TESTBED_DEFAULT_KUBERNETES,
  binDir,
  parseKubernetesVersion,
} from "./versions";

const goRoot = path.join(__dirname, "go");
const MARKER = ".complete";

export class TestbedStepError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly logTail: string,
  ) {
    super(`testbed step "${step}" failed: ${message}\n--- last lines of its log ---\n${logTail}`);
  }
}

export function tail(text: string, lines = 30): string {
  return text.split("\n").slice(-lines).join("\n");
}

interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Called with each stderr/stdout line, for progress. */
  onLine?: (line: string) => void;
}

/** Runs a command to completion; on failure throws TestbedStepError carrying the tail of its output. */
export function run(step: string, cmd: string, args: string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let partial = "";
    const onData = (buf: Buffer) => {
      const s = buf.toString();
      out += s;
      if (out.length > 1_000_000) out = out.slice(-500_000);
      if (opts.onLine) {
        partial += s;
        const lines = partial.split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) opts.onLine(l);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => reject(new TestbedStepError(step, `${cmd} could not start: ${e.message}`, "")));
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new TestbedStepError(step, `${cmd} ${args.slice(0, 3).join(" ")} … exited with ${code}`, tail(out)));
    });
  });
}

export type Log = (msg: string) => void;

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

/**
 * The Go module to build Kubernetes from: the committed one for the default version, or a copy
 * re-pinned to another release (its staging modules replaced by their v0.<minor>.<patch> twins).
 */
async function kubernetesModule(version: string, log: Log): Promise<string> {
  const committed = path.join(goRoot, "kubernetes");
  if (version === TESTBED_DEFAULT_KUBERNETES) return committed;
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `tether-k8s-${version}-`));
  await fsp.copyFile(path.join(committed, "tools.go"), path.join(dir, "tools.go"));
  const { minor, patch } = parseKubernetesVersion(version);
  log(`  re-pinning the kubernetes module to v${version}`);
  const modInfo = JSON.parse(
    await run("resolve k8s.io/kubernetes", "go", ["mod", "download", "-json", `k8s.io/kubernetes@v${version}`], { cwd: dir }),
  ) as { GoMod: string };
  const upstreamMod = await fsp.readFile(modInfo.GoMod, "utf8");
  const staging = [...upstreamMod.matchAll(/^\s+(k8s\.io\/[a-z0-9-]+) v0\.0\.0$/gm)].map((m) => m[1]);
  const replaces = staging.map((mod) => `\t${mod} => ${mod} v0.${minor}.${patch}`).join("\n");
  await fsp.writeFile(
    path.join(dir, "go.mod"),
    `module tether.local/testbed/kubernetes\n\ngo 1.24.0\n\nrequire k8s.io/kubernetes v${version}\n\nreplace (\n${replaces}\n)\n`,
  );
  await run("go mod tidy (kubernetes)", "go", ["mod", "tidy"], { cwd: dir, env: { GOFLAGS: "-mod=mod" } });
  return dir;
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
    await run("locate kwok module", "go", ["list", "-m", "-json", "sigs.k8s.io/kwok"], { cwd: path.join(goRoot, "kwok") }),
  ) as { Dir: string };
  const docs = await Promise.all(KWOK_STAGES.map((f) => fsp.readFile(path.join(info.Dir, "kustomize", "stage", f), "utf8")));
  await fsp.writeFile(path.join(out, KWOK_STAGES_FILE), docs.map((d) => d.trim()).join("\n---\n") + "\n");
}

export function binariesPresent(version: string = TESTBED_DEFAULT_KUBERNETES): boolean {
  return fs.existsSync(path.join(binDir(version), MARKER));
}

/** Builds every testbed binary for `version` unless the cache already has them; returns the folder. */
export async function ensureTestbedBinaries(
  version: string = TESTBED_DEFAULT_KUBERNETES,
  log: Log = (m) => console.log(m),
): Promise<string> {
  parseKubernetesVersion(version);
  const out = binDir(version);
  if (binariesPresent(version)) return out;
  await fsp.mkdir(out, { recursive: true });
  const started = Date.now();
  log(`testbed: building Kubernetes v${version} binaries into ${out} (first time only; several minutes on 2 cores)`);
  const env = { CGO_ENABLED: "0" };

  log("[1/3] etcd");
  let p = progress("etcd", log);
  await run("build etcd", "go", ["build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", path.join(out, "etcd"), "."], {
    cwd: path.join(goRoot, "etcd"), env, onLine: p.onLine,
  }).finally(p.done);

  log("[2/3] kwok");
  p = progress("kwok", log);
  await run("build kwok", "go", ["build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", path.join(out, "kwok"), "sigs.k8s.io/kwok/cmd/kwok"], {
    cwd: path.join(goRoot, "kwok"), env, onLine: p.onLine,
  }).finally(p.done);
  await writeKwokStages(out);

  log(`[3/3] ${KUBERNETES_BINARIES.join(", ")} v${version}`);
  const mod = await kubernetesModule(version, log);
  p = progress("kubernetes", log);
  await run(
    "build kubernetes",
    "go",
    ["build", "-v", "-trimpath", "-ldflags", versionLdflags(version), "-o", out + path.sep, ...KUBERNETES_BINARIES.map((b) => `k8s.io/kubernetes/cmd/${b}`)],
    { cwd: mod, env, onLine: p.onLine },
  ).finally(p.done);

  await fsp.writeFile(path.join(out, MARKER), new Date().toISOString() + "\n");
  log(`testbed: binaries ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return out;
}
