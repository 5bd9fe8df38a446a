// Vitest global setup for the integration project: one real testbed (etcd, kube-apiserver,
// controller-manager, scheduler, kwok) for the whole run, stopped and removed afterwards.
// Tests read its connection details with `inject("testbed")`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureTestbedBinaries } from "./build";
import { startTestbed, type Testbed, type TestbedState } from "./cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "./versions";

declare module "vitest" {
  export interface ProvidedContext {
    testbed: TestbedState & { kubectlPath: string };
  }
}

let testbed: Testbed | undefined;

export async function setup(project: TestProject): Promise<void> {
  const version = process.env.TETHER_TESTBED_KUBERNETES ?? TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version, (m) => console.log(m));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-testbed-"));
  const t0 = Date.now();
  testbed = await startTestbed({ dir, version });
  console.log(
    `testbed: Kubernetes v${version} ready at ${testbed.server} in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
  const {
    dir: tbDir,
    version: tbVersion,
    server,
    caFile,
    adminToken,
    kubeconfig,
    etcdUrl,
    binDir,
    pids,
    kubectlPath,
    streams,
  } = testbed;
  project.provide("testbed", {
    dir: tbDir,
    version: tbVersion,
    server,
    caFile,
    adminToken,
    kubeconfig,
    etcdUrl,
    binDir,
    pids,
    kubectlPath,
    streams,
  });
}

export async function teardown(): Promise<void> {
  await testbed?.stop();
  if (testbed) fs.rmSync(testbed.dir, { recursive: true, force: true });
}
