import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fluxCrdDir, fluxCrds, parseCrds } from "./crds";
import { FLUX_CONTROLLERS } from "./versions";

// The first test runs `go mod download` (from the module cache once downloaded).
describe("Flux CRDs from the module downloads", { timeout: 60_000 }, () => {
  let cache: string;
  const before = process.env.TETHER_TESTBED_CACHE;
  beforeAll(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "tether-flux-crds-"));
    process.env.TETHER_TESTBED_CACHE = cache;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.TETHER_TESTBED_CACHE;
    else process.env.TETHER_TESTBED_CACHE = before;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it("has every kind the GitOps view lists, served at the versions the controllers use", async () => {
    const crds = await fluxCrds(() => {});
    const served = Object.fromEntries(
      crds.map((c) => [
        c.spec.names.kind,
        c.spec.versions.filter((v) => v.served).map((v) => `${c.spec.group}/${v.name}`),
      ]),
    );
    expect(served.GitRepository).toContain("source.toolkit.fluxcd.io/v1");
    expect(served.HelmRepository).toContain("source.toolkit.fluxcd.io/v1");
    expect(served.HelmChart).toContain("source.toolkit.fluxcd.io/v1");
    expect(served.Bucket).toContain("source.toolkit.fluxcd.io/v1");
    expect(served.OCIRepository).toContain("source.toolkit.fluxcd.io/v1");
    expect(served.Kustomization).toContain("kustomize.toolkit.fluxcd.io/v1");
    expect(served.HelmRelease).toContain("helm.toolkit.fluxcd.io/v2");
    // Each CRD has exactly one storage version.
    for (const c of crds) expect(c.spec.versions.filter((v) => v.storage)).toHaveLength(1);
  });

  it("caches them per controller version and reads them from the cache the second time", async () => {
    const dir = fluxCrdDir("source-controller");
    expect(dir).toContain(`source-controller-v${FLUX_CONTROLLERS["source-controller"]}`);
    expect(fs.readdirSync(dir)).toContain("source.toolkit.fluxcd.io_gitrepositories.yaml");
    const logs: string[] = [];
    await fluxCrds((m) => logs.push(m));
    expect(logs).toEqual([]);
  });

  it("rejects a document that is not a CustomResourceDefinition, naming the file", () => {
    expect(() => parseCrds("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "x.yaml")).toThrow(
      /x\.yaml: not a CustomResourceDefinition/,
    );
    expect(() => parseCrds("a: [", "bad.yaml")).toThrow(/bad\.yaml/);
    expect(parseCrds("---\n", "empty.yaml")).toEqual([]);
  });
});
