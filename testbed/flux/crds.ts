// Flux's CustomResourceDefinitions for the testbed, taken from the controllers' own module downloads
// (config/crd/bases in each module zip, as `flux install` ships them), cached beside the binaries, and
// applied to a testbed cluster with server-side apply.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { withCacheLock } from "../cache-lock";
import { apiserverRequest, type TestbedState } from "../cluster";
import { type Log, TestbedStepError, run } from "../run";
import { cacheRoot } from "../versions";
import { FLUX_CONTROLLERS, FLUX_NAMESPACE, type FluxController, fluxControllerDir, fluxModulePath } from "./versions";

const MARKER = ".crds-complete";
const FIELD_MANAGER = "tether-testbed";

const crdSchema = z.object({
  apiVersion: z.literal("apiextensions.k8s.io/v1"),
  kind: z.literal("CustomResourceDefinition"),
  metadata: z.object({ name: z.string().min(1) }).passthrough(),
  spec: z
    .object({
      group: z.string(),
      names: z.object({ kind: z.string(), plural: z.string() }).passthrough(),
      versions: z.array(z.object({ name: z.string(), served: z.boolean(), storage: z.boolean() }).passthrough()),
    })
    .passthrough(),
});
export type FluxCrd = z.infer<typeof crdSchema>;

export function fluxCrdDir(controller: FluxController): string {
  return path.join(fluxControllerDir(controller), "crds");
}

/** Where the Go command unpacked `module@version` (downloading it first if needed). */
export async function goModuleDir(module: string, version: string): Promise<string> {
  // Outside any module (the cache root), so no go.mod or go.work of ours decides what is fetched.
  await fsp.mkdir(cacheRoot(), { recursive: true });
  const out = await run(`download ${module}@${version}`, "go", ["mod", "download", "-json", `${module}@${version}`], {
    cwd: cacheRoot(),
    env: { GOWORK: "off", GOFLAGS: "-mod=mod" },
  });
  const info = z.object({ Dir: z.string().optional(), Error: z.string().optional() }).parse(JSON.parse(out) as unknown);
  if (!info.Dir) throw new TestbedStepError(`download ${module}@${version}`, info.Error ?? "no Dir reported", out);
  return info.Dir;
}

/** Copies one controller's config/crd/bases/*.yaml from its module download into the cache, once. */
export async function ensureFluxCrdFiles(
  controller: FluxController,
  log: Log = (m) => console.log(m),
): Promise<string[]> {
  const dir = fluxCrdDir(controller);
  const list = () =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => path.join(dir, f));
  return withCacheLock(
    `flux-${controller}-v${FLUX_CONTROLLERS[controller]}-crds`,
    () => fs.existsSync(path.join(dir, MARKER)),
    async () => {
      const version = FLUX_CONTROLLERS[controller];
      log(`testbed: taking ${controller} v${version}'s CRDs from its module download`);
      const src = path.join(await goModuleDir(fluxModulePath(controller), `v${version}`), "config", "crd", "bases");
      const files = (await fsp.readdir(src)).filter((f) => f.endsWith(".yaml"));
      if (files.length === 0) throw new TestbedStepError(`CRDs of ${controller}`, `no YAML files in ${src}`, "");
      await fsp.rm(dir, { recursive: true, force: true });
      await fsp.mkdir(dir, { recursive: true });
      // The module cache is read-only; the copies are ordinary files.
      for (const f of files) await fsp.writeFile(path.join(dir, f), await fsp.readFile(path.join(src, f)));
      await fsp.writeFile(path.join(dir, MARKER), `${fluxModulePath(controller)}@v${version}\n`);
      return list();
    },
    list,
    log,
  );
}

/** Parses CRD YAML text (one or more documents), rejecting anything that is not a v1 CRD. */
export function parseCrds(text: string, source: string): FluxCrd[] {
  const crds: FluxCrd[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const parsed = crdSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${source}: not a CustomResourceDefinition: ${parsed.error.message}`);
    crds.push(parsed.data);
  }
  return crds;
}

/**
 * Every CRD of the pinned Flux controllers (source-, kustomize- and helm-controller): GitRepository,
 * OCIRepository, HelmRepository, HelmChart, Bucket, ExternalArtifact, Kustomization, HelmRelease.
 */
export async function fluxCrds(log: Log = (m) => console.log(m)): Promise<FluxCrd[]> {
  const crds: FluxCrd[] = [];
  for (const controller of Object.keys(FLUX_CONTROLLERS) as FluxController[]) {
    for (const file of await ensureFluxCrdFiles(controller, log)) {
      crds.push(...parseCrds(await fsp.readFile(file, "utf8"), file));
    }
  }
  return crds;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies the Flux CRDs and the flux-system namespace to a testbed cluster (server-side apply, so a
 * second call, or one after a version bump, updates them) and waits until every CRD is Established.
 * Returns the CRD names.
 */
export async function applyFluxCrds(
  tb: Pick<TestbedState, "server" | "caFile" | "adminToken">,
  opts: { log?: Log; timeoutMs?: number } = {},
): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const crds = await fluxCrds(log);
  const apply = async (urlPath: string, body: unknown, what: string) => {
    const res = await apiserverRequest(
      tb,
      "PATCH",
      `${urlPath}?fieldManager=${FIELD_MANAGER}&force=true`,
      body,
      "application/apply-patch+yaml",
    );
    if (res.status !== 200 && res.status !== 201)
      throw new TestbedStepError(`apply ${what}`, `apiserver answered ${res.status}`, res.body.slice(0, 2000));
  };
  await apply(
    `/api/v1/namespaces/${FLUX_NAMESPACE}`,
    { apiVersion: "v1", kind: "Namespace", metadata: { name: FLUX_NAMESPACE } },
    `namespace ${FLUX_NAMESPACE}`,
  );
  for (const crd of crds) {
    await apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, crd, crd.metadata.name);
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (const crd of crds) {
    for (;;) {
      const res = await apiserverRequest(
        tb,
        "GET",
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
      );
      const conditions =
        res.status === 200
          ? ((JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status
              ?.conditions ?? [])
          : [];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline)
        throw new TestbedStepError(
          `apply ${crd.metadata.name}`,
          "CRD not Established in time",
          res.body.slice(0, 2000),
        );
      await sleep(100);
    }
  }
  log(`testbed: ${crds.length} Flux CRDs applied and established`);
  return crds.map((c) => c.metadata.name);
}
