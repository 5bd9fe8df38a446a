// The pinned Flux controllers of the testbed, and where their binaries and CRDs are cached.
// Each pin must equal the `require` of its wrapper module in testbed/go/flux/<controller>/go.mod
// (checked before a build). Chosen on 2026-11-30 as the newest releases whose go.mod asks for no more
// than this machine's Go 1.26 (source- and kustomize-controller v1.10.x need Go 1.27) and that the Go
// module proxy serves: source-controller v1.9.6 and kustomize-controller v1.9.6 (one Flux release;
// both require source-controller/api v1.9.0), helm-controller v1.6.4 (requires the same
// source-controller/api v1.9.0; v1.6.5 and v1.7.x are refused by the proxy).
import path from "node:path";
import { cacheRoot } from "../versions";

export const FLUX_CONTROLLERS = {
  "source-controller": "1.9.6",
  "kustomize-controller": "1.9.6",
  "helm-controller": "1.6.4",
} as const;

export type FluxController = keyof typeof FLUX_CONTROLLERS;

/**
 * The controllers every Flux run of the testbed starts; helm-controller is started on request
 * (`startFlux(tb, { helm: true })`, `npm run testbed:up -- --flux`). Every CRD, helm-controller's too, is applied.
 */
export const FLUX_RUN_CONTROLLERS: readonly FluxController[] = ["source-controller", "kustomize-controller"];

export function fluxModulePath(controller: FluxController): string {
  return `github.com/fluxcd/${controller}`;
}

/** `<cache>/flux/<controller>-v<version>/`: the binary and crds/ of one pinned controller. */
export function fluxControllerDir(controller: FluxController): string {
  return path.join(cacheRoot(), "flux", `${controller}-v${FLUX_CONTROLLERS[controller]}`);
}

/** The namespace the controllers consider their own (RUNTIME_NAMESPACE), as `flux install` makes it. */
export const FLUX_NAMESPACE = "flux-system";

/** The version that a wrapper go.mod requires of `controller` (single-line or block require), if any. */
export function pinnedFluxVersion(goMod: string, controller: FluxController): string | undefined {
  const mod = fluxModulePath(controller).replace(/[./]/g, (c) => `\\${c}`);
  return new RegExp(`^\\s*(?:require\\s+)?${mod} v(\\d+\\.\\d+\\.\\d+)\\s*(?://.*)?$`, "m").exec(goMod)?.[1];
}
