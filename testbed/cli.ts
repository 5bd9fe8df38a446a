// `npm run testbed:build [-- --flux --metrics] | testbed:up [-- --flux --metrics] | testbed:down`: build the
// binaries (and helm, for the deploy tests; Flux's controllers with --flux and metrics-server with --metrics,
// else when first needed), start a control plane on loopback that outlives this command (with Flux's source-
// and kustomize- and helm-controller as host processes when --flux is given, metrics-server with --metrics),
// or stop it and remove its data.
import fsp from "node:fs/promises";
import path from "node:path";
import { TestbedStepError, ensureTestbedBinaries } from "./build";
import { type TestbedState, startTestbed, stopTestbedDir } from "./cluster";
import { FLUX_CONTROLLERS, FLUX_NAMESPACE, ensureFluxController, fluxCrds, startFlux } from "./flux";
import { ensureHelm } from "./helm";
import { ensureKubernetesModule } from "./kubernetes-module";
import { ensureMetricsServer, startMetricsServer } from "./metrics-server";
import { TESTBED_DEFAULT_KUBERNETES } from "./versions";

const stateDir = path.resolve(__dirname, "..", "data", "testbed");

async function main(command: string | undefined): Promise<void> {
  const version = process.env.TETHER_TESTBED_KUBERNETES ?? TESTBED_DEFAULT_KUBERNETES;
  switch (command) {
    case "build":
      await ensureTestbedBinaries(version);
      console.log(`testbed: Kubernetes v${version} binaries are built and cached`);
      console.log(`testbed: helm is built and cached at ${await ensureHelm()}`);
      if (process.argv.slice(3).includes("--flux")) {
        for (const c of Object.keys(FLUX_CONTROLLERS) as (keyof typeof FLUX_CONTROLLERS)[])
          console.log(`testbed: Flux ${c} is built and cached at ${await ensureFluxController(c)}`);
        console.log(`testbed: ${(await fluxCrds()).length} Flux CRDs are cached`);
      }
      if (process.argv.slice(3).includes("--metrics"))
        console.log(`testbed: metrics-server is built and cached at ${await ensureMetricsServer()}`);
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
      const withFlux = process.argv.slice(3).includes("--flux");
      let fluxText = "";
      if (withFlux) {
        const flux = await startFlux(tb, { detached: true, helm: true, log: (m) => console.log(m) });
        // testbed:down stops every process listed in state.json.
        const stateFile = path.join(tb.dir, "state.json");
        const state = JSON.parse(await fsp.readFile(stateFile, "utf8")) as TestbedState;
        for (const [name, p] of Object.entries(flux.controllers)) if (p) state.pids[name] = p.pid;
        await fsp.writeFile(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
        fluxText = `
Flux source-controller v${FLUX_CONTROLLERS["source-controller"]}, kustomize-controller v${FLUX_CONTROLLERS["kustomize-controller"]} and helm-controller v${FLUX_CONTROLLERS["helm-controller"]} run on the host
(namespace ${FLUX_NAMESPACE}; artifacts at ${flux.storageUrl}; metrics ${Object.values(flux.controllers)
          .flatMap((p) => (p ? [p.metricsUrl] : []))
          .join(", ")}).
`;
      }
      let metricsText = "";
      if (process.argv.slice(3).includes("--metrics")) {
        const ms = await startMetricsServer(tb, { detached: true, log: (m) => console.log(m) });
        const stateFile = path.join(tb.dir, "state.json");
        const state = JSON.parse(await fsp.readFile(stateFile, "utf8")) as TestbedState;
        state.pids["metrics-server"] = ms.pid;
        await fsp.writeFile(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
        metricsText = `
metrics-server runs on the host and serves metrics.k8s.io: ${tb.kubectlPath} top nodes|pods
`;
      }
      console.log(`
Testbed Kubernetes v${version} is running on loopback (etcd, kube-apiserver, controller-manager,
scheduler, and kwok with one fake node).

  export KUBECONFIG=${tb.kubeconfig}
  ${tb.kubectlPath} get nodes
  ${tb.kubectlPath} create deployment hello --image=nginx   # kwok marks its pods Running
  ${tb.kubectlPath} logs|exec|attach|port-forward <pod>    # kwok serves these (see TestbedStreams)

API server ${tb.server}; logs in ${path.join(tb.dir, "logs")}. Stop it with: npm run testbed:down${fluxText}${metricsText}`);
      return;
    }
    case "down": {
      const stopped = await stopTestbedDir(stateDir);
      console.log(stopped ? "testbed: stopped and its data removed" : "testbed: nothing was running");
      return;
    }
    default:
      throw new Error(
        `usage: tsx testbed/cli.ts build [--flux] [--metrics]|module <version>|up [--flux] [--metrics]|down (got ${JSON.stringify(command)})`,
      );
  }
}

main(process.argv[2]).catch((e: unknown) => {
  console.error(e instanceof TestbedStepError ? e.message : e);
  process.exit(1);
});
