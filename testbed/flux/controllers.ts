// Runs Flux's source-controller and kustomize-controller (and helm-controller with `helm: true`) as host
// processes against a testbed cluster (KUBECONFIG, RUNTIME_NAMESPACE=flux-system, leader election off,
// every port on loopback). source-controller serves the artifacts it fetches (and the charts it packages
// for HelmReleases) on a loopback storage address that it also advertises, so the other controllers
// download them from there.
import fsp from "node:fs/promises";
import path from "node:path";
import { type Started, type TestbedState, freePort, httpGetOk, logTail, startProcess, waitFor } from "../cluster";
import { type Log, TestbedStepError } from "../run";
import { ensureFluxController } from "./build";
import { applyFluxCrds } from "./crds";
import { FLUX_NAMESPACE, FLUX_RUN_CONTROLLERS, type FluxController } from "./versions";

export interface FluxControllerProcess {
  pid: number;
  /** Prometheus metrics (controller-runtime's and Flux's gotk_* series). */
  metricsUrl: string;
  /** /readyz and /healthz. */
  healthUrl: string;
  logFile: string;
}

export interface FluxOptions {
  /** Folder for logs and source-controller's artifact storage (default `<testbed dir>/flux`). */
  dir?: string;
  /** Fixed loopback ports (e.g. from a port range); each unset one is a free port the system picks. */
  ports?: Partial<
    Record<
      | "sourceMetrics"
      | "sourceHealth"
      | "storage"
      | "kustomizeMetrics"
      | "kustomizeHealth"
      | "helmMetrics"
      | "helmHealth",
      number
    >
  >;
  /** Also run helm-controller (HelmReleases), built on first use like the others. */
  helm?: boolean;
  /** Leave the processes running when this Node process exits (for `npm run testbed:up -- --flux`). */
  detached?: boolean;
  log?: Log;
}

export interface Flux {
  dir: string;
  controllers: Record<FluxController, FluxControllerProcess | undefined>;
  /** Where source-controller serves artifacts (and what it advertises in status.artifact.url). */
  storageUrl: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the controllers if the cache lacks them, applies the Flux CRDs and the flux-system namespace,
 * starts source-controller and kustomize-controller (and helm-controller with `helm`), and waits until each
 * answers /readyz.
 */
export async function startFlux(
  tb: Pick<TestbedState, "dir" | "server" | "caFile" | "adminToken" | "kubeconfig">,
  opts: FluxOptions = {},
): Promise<Flux> {
  const log = opts.log ?? (() => {});
  const detached = opts.detached ?? false;
  const dir = path.resolve(opts.dir ?? path.join(tb.dir, "flux"));
  const bins: Partial<Record<FluxController, string>> = {};
  const run: FluxController[] = [...FLUX_RUN_CONTROLLERS, ...(opts.helm ? (["helm-controller"] as const) : [])];
  for (const c of run) bins[c] = await ensureFluxController(c, log);
  await applyFluxCrds(tb, { log });

  for (const sub of ["logs", "storage", "home"]) await fsp.mkdir(path.join(dir, sub), { recursive: true, mode: 0o700 });
  const port = async (name: keyof NonNullable<FluxOptions["ports"]>) => opts.ports?.[name] ?? (await freePort());
  const ports = {
    sourceMetrics: await port("sourceMetrics"),
    sourceHealth: await port("sourceHealth"),
    storage: await port("storage"),
    kustomizeMetrics: await port("kustomizeMetrics"),
    kustomizeHealth: await port("kustomizeHealth"),
    helmMetrics: opts.helm ? await port("helmMetrics") : 0,
    helmHealth: opts.helm ? await port("helmHealth") : 0,
  };
  // Only what the controllers need: no proxy variables of ours, which would send go-git's loopback
  // requests elsewhere.
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: path.join(dir, "home"),
    KUBECONFIG: tb.kubeconfig,
    RUNTIME_NAMESPACE: FLUX_NAMESPACE,
  };
  const common = (metrics: number, health: number) => [
    `--metrics-addr=127.0.0.1:${metrics}`,
    `--health-addr=127.0.0.1:${health}`,
    "--enable-leader-election=false",
    "--watch-all-namespaces=true",
    "--log-level=info",
    "--log-encoding=json",
  ];
  const started: Started[] = [];
  const stop = async () => {
    for (const p of [...started].reverse()) if (!p.exited) p.child.kill("SIGTERM");
    const deadline = Date.now() + 10_000;
    while (started.some((p) => !p.exited) && Date.now() < deadline) await sleep(50);
    for (const p of started) if (!p.exited) p.child.kill("SIGKILL");
  };
  const storageAddr = `127.0.0.1:${ports.storage}`;
  try {
    log(`testbed: starting Flux ${run.join(", ")}`);
    const source = startProcess(
      "source-controller",
      bins["source-controller"] as string,
      [
        ...common(ports.sourceMetrics, ports.sourceHealth),
        `--storage-path=${path.join(dir, "storage")}`,
        `--storage-addr=${storageAddr}`,
        `--storage-adv-addr=${storageAddr}`,
      ],
      dir,
      detached,
      env,
    );
    started.push(source);
    const kustomize = startProcess(
      "kustomize-controller",
      bins["kustomize-controller"] as string,
      [...common(ports.kustomizeMetrics, ports.kustomizeHealth), "--no-remote-bases=true"],
      dir,
      detached,
      env,
    );
    started.push(kustomize);
    const helm = opts.helm
      ? startProcess(
          "helm-controller",
          bins["helm-controller"] as string,
          common(ports.helmMetrics, ports.helmHealth),
          dir,
          detached,
          env,
        )
      : undefined;
    if (helm) started.push(helm);
    const readyz = (p: number) => `http://127.0.0.1:${p}/readyz`;
    await waitFor(source, "source-controller /readyz", () => httpGetOk(readyz(ports.sourceHealth)), 60_000);
    await waitFor(kustomize, "kustomize-controller /readyz", () => httpGetOk(readyz(ports.kustomizeHealth)), 60_000);
    if (helm) await waitFor(helm, "helm-controller /readyz", () => httpGetOk(readyz(ports.helmHealth)), 60_000);
    const processOf = (p: Started, metrics: number, health: number): FluxControllerProcess => ({
      pid: p.child.pid ?? 0,
      metricsUrl: `http://127.0.0.1:${metrics}/metrics`,
      healthUrl: `http://127.0.0.1:${health}`,
      logFile: p.logFile,
    });
    log(`testbed: Flux controllers ready (artifacts at http://${storageAddr})`);
    return {
      dir,
      controllers: {
        "source-controller": processOf(source, ports.sourceMetrics, ports.sourceHealth),
        "kustomize-controller": processOf(kustomize, ports.kustomizeMetrics, ports.kustomizeHealth),
        "helm-controller": helm ? processOf(helm, ports.helmMetrics, ports.helmHealth) : undefined,
      },
      storageUrl: `http://${storageAddr}`,
      stop,
    };
  } catch (e) {
    const tails = await Promise.all(started.map(async (p) => `--- ${p.name}\n${await logTail(p)}`));
    await stop();
    if (e instanceof TestbedStepError) throw e;
    throw new TestbedStepError("start Flux", String(e), tails.join("\n"));
  }
}
