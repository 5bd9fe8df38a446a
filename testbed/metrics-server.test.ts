import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS_SERVER_VERSION, metricsServerPath, pinnedMetricsServerVersion } from "./metrics-server";

describe("metrics-server pin", () => {
  it("the wrapper module requires the version the testbed caches under", () => {
    const goMod = fs.readFileSync(path.join(__dirname, "go", "metrics-server", "go.mod"), "utf8");
    expect(pinnedMetricsServerVersion(goMod)).toBe(METRICS_SERVER_VERSION);
    expect(metricsServerPath()).toContain(`metrics-server-v${METRICS_SERVER_VERSION}`);
  });

  it("reads the pin from a single-line or block require", () => {
    expect(pinnedMetricsServerVersion("require sigs.k8s.io/metrics-server v0.8.0\n")).toBe("0.8.0");
    expect(
      pinnedMetricsServerVersion("require (\n\tcel.dev/expr v0.20.0\n\tsigs.k8s.io/metrics-server v0.7.2\n)\n"),
    ).toBe("0.7.2");
    expect(pinnedMetricsServerVersion("require sigs.k8s.io/metrics-server-extra v0.1.0\n")).toBeUndefined();
  });
});
