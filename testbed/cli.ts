// `npm run testbed:build | testbed:up | testbed:down`: build the binaries (and helm, for the deploy
// tests), start a control plane on loopback that outlives this command, or stop it and remove its data.
import path from "node:path";
import { TestbedStepError, ensureTestbedBinaries } from "./build";
import { startTestbed, stopTestbedDir } from "./cluster";
import { ensureHelm } from "./helm";
import { ensureKubernetesModule } from "./kubernetes-module";
import { TESTBED_DEFAULT_KUBERNETES } from "./versions";

const stateDir = path.resolve(__dirname, "..", "data", "testbed");

async function main(command: string | undefined): Promise<void> {
  const version = process.env.TETHER_TESTBED_KUBERNETES ?? TESTBED_DEFAULT_KUBERNETES;
  switch (command) {
    case "build":
      await ensureTestbedBinaries(version);
      console.log(`testbed: Kubernetes v${version} binaries are built and cached`);
      console.log(`testbed: helm is built and cached at ${await ensureHelm()}`);
      return;
    case "module": {
      // Generates (if missing) the Go wrapper module for a release: npm run testbed:module -- 1.32.13
      const v = process.argv[3] ?? version;
      console.log(`testbed: wrapper module for Kubernetes v${v}: ${await ensureKubernetesModule(v)}`);
      return;
    }
    case "up": {
      await stopTestbedDir(stateDir);
      await ensureTestbedBinaries(version);
      const tb = await startTestbed({ dir: stateDir, version, detached: true, log: (m) => console.log(m) });
      console.log(`
Testbed Kubernetes v${version} is running on loopback (etcd, kube-apiserver, controller-manager,
scheduler, and kwok with one fake node).

  export KUBECONFIG=${tb.kubeconfig}
  ${tb.kubectlPath} get nodes
  ${tb.kubectlPath} create deployment hello --image=nginx   # kwok marks its pods Running
  ${tb.kubectlPath} logs|exec|attach|port-forward <pod>    # kwok serves these (see TestbedStreams)

API server ${tb.server}; logs in ${path.join(tb.dir, "logs")}. Stop it with: npm run testbed:down`);
      return;
    }
    case "down": {
      const stopped = await stopTestbedDir(stateDir);
      console.log(stopped ? "testbed: stopped and its data removed" : "testbed: nothing was running");
      return;
    }
    default:
      throw new Error(`usage: tsx testbed/cli.ts build|module <version>|up|down (got ${JSON.stringify(command)})`);
  }
}

main(process.argv[2]).catch((e: unknown) => {
  console.error(e instanceof TestbedStepError ? e.message : e);
  process.exit(1);
});
