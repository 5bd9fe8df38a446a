// Builds helm from the Go module proxy (the wrapper module in testbed/go/helm) into the testbed
// cache, once per helm version, and reuses it afterwards. The deploy tests lint and render the
// agent's chart with it.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { type Log, progress, run } from "./build";
import { withCacheLock } from "./cache-lock";
import { TESTBED_HELM, cacheRoot } from "./versions";

const helmModule = path.join(__dirname, "go", "helm");

export function helmPath(version: string = TESTBED_HELM): string {
  return path.join(cacheRoot(), `helm-v${version}`, "helm");
}

/** The `require helm.sh/helm/v3 vX.Y.Z` of the wrapper module, so a bump in one place is caught. */
export function pinnedHelmVersion(goMod: string): string | undefined {
  return /^\s*(?:require\s+)?helm\.sh\/helm\/v3 v(\d+\.\d+\.\d+)\s*$/m.exec(goMod)?.[1];
}

/**
 * The Kubernetes minor version that helm's client-go corresponds to (k8s.io/client-go v0.34.x → 34);
 * helm's Makefile stamps it as the default capabilities for `helm template` and `helm lint`, which
 * otherwise claim Kubernetes 1.20.
 */
export function clientGoMinor(goMod: string): number | undefined {
  const m = /^\s*k8s\.io\/client-go v0\.(\d+)\.\d+/m.exec(goMod);
  return m ? Number(m[1]) : undefined;
}

/** Returns the path of the cached helm binary, building it first if it is not there (about 2-4 min on 2 cores). */
export async function ensureHelm(log: Log = (m) => console.log(m)): Promise<string> {
  const bin = helmPath();
  return withCacheLock(
    `helm-v${TESTBED_HELM}`,
    () => fs.existsSync(bin),
    () => buildHelm(bin, log),
    () => bin,
    log,
  );
}

async function buildHelm(bin: string, log: Log): Promise<string> {
  const goMod = await fsp.readFile(path.join(helmModule, "go.mod"), "utf8");
  const pinned = pinnedHelmVersion(goMod);
  if (pinned !== TESTBED_HELM) {
    throw new Error(
      `testbed/go/helm/go.mod pins helm ${pinned ?? "(none)"} but testbed/versions.ts says ${TESTBED_HELM}`,
    );
  }
  const k8sMinor = clientGoMinor(goMod);
  if (k8sMinor === undefined) throw new Error("testbed/go/helm/go.mod has no k8s.io/client-go requirement");
  const ldflags = [
    "-s -w",
    `-X helm.sh/helm/v3/internal/version.version=v${TESTBED_HELM}`,
    "-X helm.sh/helm/v3/internal/version.gitTreeState=clean",
    ...["pkg/chartutil", "pkg/lint/rules"].flatMap((pkg) => [
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${k8sMinor}`,
    ]),
  ].join(" ");
  await fsp.mkdir(path.dirname(bin), { recursive: true });
  const started = Date.now();
  log(`testbed: building helm v${TESTBED_HELM} into ${bin} (first time only)`);
  // Build beside the target and rename, so an interrupted build never leaves a half-written binary.
  const partial = `${bin}.partial-${process.pid}`;
  const p = progress("helm", log);
  try {
    await run(
      "build helm",
      "go",
      ["build", "-v", "-trimpath", "-ldflags", ldflags, "-o", partial, "helm.sh/helm/v3/cmd/helm"],
      { cwd: helmModule, env: { CGO_ENABLED: "0" }, onLine: p.onLine },
    ).finally(p.done);
    await fsp.rename(partial, bin);
  } finally {
    await fsp.rm(partial, { force: true });
  }
  log(`testbed: helm ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return bin;
}
