import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kubernetesModuleDir, requiredKubernetes, stagingModules, wrapperGoMod } from "./kubernetes-module";
import { TESTBED_DEFAULT_KUBERNETES } from "./versions";

const upstream = `module k8s.io/kubernetes

go 1.23.0

require (
	github.com/blang/semver/v4 v4.0.0
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0
	k8s.io/klog/v2 v2.130.1
	k8s.io/kube-openapi v0.0.0-20241105132330-32ad38e42d3f
)

require k8s.io/sample-apiserver v0.0.0 // indirect

replace (
	k8s.io/api => ./staging/src/k8s.io/api
)
`;

describe("the Kubernetes wrapper module", () => {
  it("finds exactly the staging modules pinned at v0.0.0", () => {
    expect(stagingModules(upstream)).toEqual(["k8s.io/api", "k8s.io/client-go", "k8s.io/sample-apiserver"]);
  });
  it("replaces each with its v0.<minor>.<patch> twin and requires the release", () => {
    const mod = wrapperGoMod("1.32.13", stagingModules(upstream));
    expect(mod).toContain("require k8s.io/kubernetes v1.32.13\n");
    expect(mod).toContain("\tk8s.io/client-go => k8s.io/client-go v0.32.13\n");
    expect(mod).toContain("\tk8s.io/sample-apiserver => k8s.io/sample-apiserver v0.32.13\n");
    expect(requiredKubernetes(mod)).toBe("1.32.13");
  });
  it("keeps one folder per release; the default one is testbed/go/kubernetes", () => {
    expect(path.basename(kubernetesModuleDir(TESTBED_DEFAULT_KUBERNETES))).toBe("kubernetes");
    expect(path.basename(kubernetesModuleDir("1.31.14"))).toBe("kubernetes-v1.31.14");
    expect(() => kubernetesModuleDir("1.31")).toThrow(/not a Kubernetes release/);
  });
  it("every committed module pins the release its folder names, with a go.sum", () => {
    const goRoot = path.join(__dirname, "go");
    const dirs = fs.readdirSync(goRoot).filter((d) => d === "kubernetes" || d.startsWith("kubernetes-v"));
    expect(dirs).toContain("kubernetes");
    for (const d of dirs) {
      const version = d === "kubernetes" ? TESTBED_DEFAULT_KUBERNETES : d.slice("kubernetes-v".length);
      expect(requiredKubernetes(fs.readFileSync(path.join(goRoot, d, "go.mod"), "utf8")), d).toBe(version);
      expect(fs.existsSync(path.join(goRoot, d, "go.sum")), d).toBe(true);
    }
  });
});
