// Flux objects in a spec's testbed without Flux's controllers: the CRDs from the controllers' own module
// downloads (config/crd/bases, as `flux install` ships them), applied with kubectl, and each object's
// status written through the status subresource, as a controller would, to drive Ready / Stalled.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The pins of the testbed's Flux controllers (testbed/flux/versions.ts on the flux branch). */
const FLUX_MODULES = [
  "github.com/fluxcd/source-controller@v1.9.6",
  "github.com/fluxcd/kustomize-controller@v1.9.6",
  "github.com/fluxcd/helm-controller@v1.6.4",
];

type Kubectl = (...args: string[]) => Promise<{ stdout: string; stderr: string }>;

/** Where the Go command unpacked a module (downloading it first when needed). */
async function moduleDir(module: string): Promise<string> {
  const { stdout } = await run("go", ["mod", "download", "-json", module], {
    cwd: os.tmpdir(),
    env: { ...process.env, GOWORK: "off", GOFLAGS: "-mod=mod" },
    maxBuffer: 4 * 1024 * 1024,
  });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? stdout}`);
  return info.Dir;
}

/** Applies every CRD of the pinned Flux controllers and waits until each is Established. */
export async function applyFluxCrds(kubectl: Kubectl): Promise<void> {
  const names: string[] = [];
  for (const m of FLUX_MODULES) {
    const dir = path.join(await moduleDir(m), "config", "crd", "bases");
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      await kubectl("apply", "--server-side", "--force-conflicts", "-f", path.join(dir, f));
      names.push(
        `crd/${f
          .replace(/\.yaml$/, "")
          .split("_")
          .reverse()
          .join(".")}`,
      );
    }
  }
  await kubectl("wait", "--for=condition=Established", "--timeout=60s", ...names);
}

/** Writes an object's whole status through the status subresource (a merge patch), as its controller would. */
export async function writeStatus(
  kubectl: Kubectl,
  resource: string,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  await kubectl(
    "patch",
    resource,
    name,
    "-n",
    namespace,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status }),
  );
}

/** One metav1.Condition, with the fields the Flux CRDs require. */
export function condition(type: string, status: "True" | "False" | "Unknown", reason: string, message: string) {
  return { type, status, reason, message, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") };
}

/** Applies a manifest given as an object (kubectl apply -f -). */
export async function applyObject(kubectl: Kubectl, workDir: string, object: Record<string, unknown>): Promise<void> {
  const file = path.join(workDir, `obj-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(object));
  await kubectl("apply", "-f", file);
}
