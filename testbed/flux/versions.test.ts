import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FLUX_CONTROLLERS, type FluxController, fluxControllerDir, pinnedFluxVersion } from "./versions";

describe("Flux pins", () => {
  it("each wrapper module requires the version the testbed caches under", () => {
    for (const c of Object.keys(FLUX_CONTROLLERS) as FluxController[]) {
      const goMod = fs.readFileSync(path.join(__dirname, "..", "go", "flux", c, "go.mod"), "utf8");
      expect(pinnedFluxVersion(goMod, c), c).toBe(FLUX_CONTROLLERS[c]);
      expect(fluxControllerDir(c)).toContain(`${c}-v${FLUX_CONTROLLERS[c]}`);
    }
  });

  it("reads the pin from a single-line or block require and ignores the api submodule", () => {
    expect(pinnedFluxVersion("require github.com/fluxcd/source-controller v1.9.6\n", "source-controller")).toBe(
      "1.9.6",
    );
    expect(
      pinnedFluxVersion(
        "require (\n\tgithub.com/fluxcd/source-controller/api v1.9.0 // indirect\n\tgithub.com/fluxcd/source-controller v1.9.4\n)\n",
        "source-controller",
      ),
    ).toBe("1.9.4");
    expect(pinnedFluxVersion("require github.com/fluxcd/source-controller/api v1.9.0\n", "source-controller")).toBe(
      undefined,
    );
  });
});
