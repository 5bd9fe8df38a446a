// The pinned versions of the testbed's parts, and where their binaries are cached.
// The default Kubernetes version is the newest minor the support policy covers.
import os from "node:os";
import path from "node:path";

export const TESTBED_DEFAULT_KUBERNETES = "1.37.2";

/**
 * The release that the version matrix (`npm run test:versions`) tests for each Kubernetes minor: the
 * newest one whose k8s.io/kubernetes and every staging module the Go module proxy serves at exactly
 * that version, so the binaries are that release and nothing else. Each has its wrapper module in
 * testbed/go (kubernetes for the default, kubernetes-v<version> for the others). As checked on 2026-11-25:
 * - 1.33: 1.33.13, the newest patch the proxy lists (1.33.14 is refused).
 * - 1.32: the proxy lists 1.32.2 and 1.32.13 only; 1.32.13 cannot be built exactly because the proxy
 *   refuses k8s.io/endpointslice v0.32.13 (403), and 1.32.12 is refused; so 1.32.2.
 * - 1.31: the proxy lists 1.31.0 and 1.31.14; 1.31.14 cannot be built exactly because the proxy
 *   refuses k8s.io/endpointslice and k8s.io/kube-scheduler v0.31.14; 1.31.13 is served (though not
 *   listed) complete, so 1.31.13.
 * Checked on 2026-11-30 (`go list -m -versions k8s.io/kubernetes`, then `npm run testbed:module -- <v>`,
 * whose `go mod tidy` fetched every staging module at exactly that version):
 * - 1.37: the proxy lists 1.37.2 only; complete. 1.36: lists 1.36.1 and 1.36.3; 1.36.3 complete.
 * - 1.35: lists 1.35.4 only; complete. 1.34: lists 1.34.2, 1.34.3, 1.34.4; 1.34.4 complete.
 * - 1.38: only 1.38.0-beta.0 is listed; pre-releases are not built yet (parseKubernetesVersion takes
 *   releases only), so 1.38 shows as upcoming without a smoke result.
 * Their binaries are built on first use (a cold build of one release takes 4-10 minutes on 2 cores once Go's
 * build cache holds another release, ~30 minutes with an empty one); `npm run test:versions -- 1.37` builds and
 * tests one minor. On 2026-12-01 1.37.2, 1.36.3 and 1.35.4 passed the smoke suite, which made them the supported
 * minors, and the default moved from 1.33.13 to 1.37.2 (its wrapper module is testbed/go/kubernetes; 1.33.13's is
 * testbed/go/kubernetes-v1.33.13).
 * `npm run testbed:module -- <version>` tells within seconds whether another release can be built.
 */
export const MATRIX_RELEASES: Readonly<Record<string, string>> = {
  "1.37": TESTBED_DEFAULT_KUBERNETES,
  "1.36": "1.36.3",
  "1.35": "1.35.4",
  "1.34": "1.34.4",
  "1.33": "1.33.13",
  "1.32": "1.32.2",
  "1.31": "1.31.13",
};
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

/**
 * kube-controller-manager's `--controllers` for the testbed: every controller but those a cluster without
 * a cloud or real nodes must not run (node IPAM and lifecycle, which would evict kwok's nodes, and the cloud
 * provider's). Kubernetes 1.37 removed the cloud controllers from kube-controller-manager and refuses to
 * start when asked to disable a controller it does not know, so they are named only before 1.37.
 */
export function controllerManagerControllers(version: string): string {
  const { major, minor } = parseKubernetesVersion(version);
  const cloud = major === 1 && minor < 37 ? ["-service-lb-controller", "-cloud-node-lifecycle"] : [];
  return ["*", "-nodeipam", "-nodelifecycle", ...cloud].join(",");
}
