// The pinned versions of the testbed's parts, and where their binaries are cached.
// The default Kubernetes version is the newest minor the support policy covers.
import os from "node:os";
import path from "node:path";

export const TESTBED_DEFAULT_KUBERNETES = "1.33.13";
export const TESTBED_ETCD = "3.5.21";
export const TESTBED_KWOK = "0.8.0";
/** helm, for linting and rendering the agent's chart; must match the require in testbed/go/helm/go.mod. */
export const TESTBED_HELM = "3.19.5";

export const KUBERNETES_BINARIES = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"] as const;

/** Root of the binary cache; one folder per Kubernetes version, reused across runs and clones. */
export function cacheRoot(): string {
  return process.env.TETHER_TESTBED_CACHE ?? path.join(os.homedir(), ".cache", "tether-testbed");
}

export function binDir(kubernetesVersion: string = TESTBED_DEFAULT_KUBERNETES): string {
  return path.join(cacheRoot(), `v${kubernetesVersion}`, `etcd-${TESTBED_ETCD}-kwok-${TESTBED_KWOK}`);
}

export function parseKubernetesVersion(v: string): { major: number; minor: number; patch: number } {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (!m) throw new Error(`not a Kubernetes release version: ${JSON.stringify(v)} (expected like 1.33.13)`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}
