// Flux objects in a spec's testbed without Flux's controllers: the CRDs (testbed/flux: from the pinned
// controllers' module downloads, as `flux install` ships them) and each object's status written through
// the status subresource, as a controller would, to drive Ready / Stalled.
import fs from "node:fs";
import path from "node:path";

export { applyFluxCrds } from "../testbed/flux";

type Kubectl = (...args: string[]) => Promise<{ stdout: string; stderr: string }>;

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
