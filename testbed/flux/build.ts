// Builds Flux's controllers from the Go module proxy (wrapper modules in testbed/go/flux/<controller>)
// into the testbed cache, once per pinned version, under the cache lock; lazily, when a test or
// `npm run testbed:up -- --flux` needs them. Niced, since a cold build takes minutes of both cores.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { progress } from "../build";
import { withCacheLock } from "../cache-lock";
import { type Log, run } from "../run";
import {
  FLUX_CONTROLLERS,
  type FluxController,
  fluxControllerDir,
  fluxModulePath,
  pinnedFluxVersion,
} from "./versions";

const goRoot = path.join(__dirname, "..", "go", "flux");

export function fluxControllerPath(controller: FluxController): string {
  return path.join(fluxControllerDir(controller), controller);
}

export function fluxControllerBuilt(controller: FluxController): boolean {
  return fs.existsSync(fluxControllerPath(controller));
}

/** Returns the cached binary of `controller`, building it first if it is not there. */
export async function ensureFluxController(
  controller: FluxController,
  log: Log = (m) => console.log(m),
): Promise<string> {
  const bin = fluxControllerPath(controller);
  return withCacheLock(
    `flux-${controller}-v${FLUX_CONTROLLERS[controller]}`,
    () => fs.existsSync(bin),
    () => buildFluxController(controller, bin, log),
    () => bin,
    log,
  );
}

async function buildFluxController(controller: FluxController, bin: string, log: Log): Promise<string> {
  const version = FLUX_CONTROLLERS[controller];
  const moduleDir = path.join(goRoot, controller);
  const pinned = pinnedFluxVersion(await fsp.readFile(path.join(moduleDir, "go.mod"), "utf8"), controller);
  if (pinned !== version) {
    throw new Error(
      `testbed/go/flux/${controller}/go.mod pins ${pinned ?? "(none)"} but testbed/flux/versions.ts says ${version}`,
    );
  }
  await fsp.mkdir(path.dirname(bin), { recursive: true });
  const started = Date.now();
  log(`testbed: building Flux ${controller} v${version} into ${bin} (first time only; minutes on 2 cores)`);
  // Build beside the target and rename, so an interrupted build never leaves a half-written binary.
  const partial = `${bin}.partial-${process.pid}`;
  const p = progress(controller, log);
  try {
    await run(
      `build ${controller}`,
      "nice",
      ["-n", "15", "go", "build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", partial, fluxModulePath(controller)],
      { cwd: moduleDir, env: { CGO_ENABLED: "0", GOWORK: "off" }, onLine: p.onLine },
    ).finally(p.done);
    await fsp.rename(partial, bin);
  } finally {
    await fsp.rm(partial, { force: true });
  }
  log(`testbed: Flux ${controller} ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return bin;
}
