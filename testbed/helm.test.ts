import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientGoMinor, helmPath, pinnedHelmVersion } from "./helm";
import { TESTBED_HELM } from "./versions";

describe("helm pin", () => {
  it("the wrapper module requires the helm version the testbed caches under", () => {
    const goMod = fs.readFileSync(path.join(__dirname, "go", "helm", "go.mod"), "utf8");
    expect(pinnedHelmVersion(goMod)).toBe(TESTBED_HELM);
    expect(helmPath()).toContain(`helm-v${TESTBED_HELM}`);
    expect(clientGoMinor(goMod)).toBeGreaterThanOrEqual(33);
  });

  it("reads the pin from a single-line or block require", () => {
    expect(pinnedHelmVersion("module x\n\nrequire helm.sh/helm/v3 v3.19.5\n")).toBe("3.19.5");
    expect(pinnedHelmVersion("require (\n\thelm.sh/helm/v3 v3.20.2\n)\n")).toBe("3.20.2");
    expect(pinnedHelmVersion("require helm.sh/helm/v4 v4.3.1\n")).toBeUndefined();
  });
});
