import { describe, expect, it } from "vitest";
import { formatBytes, formatCores, formatCpu, formatMemory, parseQuantity, percentOf } from "./quantity";

describe("parseQuantity", () => {
  it("reads metrics-server's CPU in nanocores and memory in kibibytes", () => {
    expect(parseQuantity("250000000n")).toBeCloseTo(0.25, 12);
    expect(parseQuantity("307200Ki")).toBe(300 * 2 ** 20);
  });

  it("reads every suffix Kubernetes writes", () => {
    expect(parseQuantity("32")).toBe(32);
    expect(parseQuantity("1500m")).toBe(1.5);
    expect(parseQuantity("12u")).toBeCloseTo(12e-6, 15);
    expect(parseQuantity("256Gi")).toBe(256 * 2 ** 30);
    expect(parseQuantity("1Ti")).toBe(2 ** 40);
    expect(parseQuantity("2k")).toBe(2000);
    expect(parseQuantity("129M")).toBe(129e6);
    expect(parseQuantity("129e6")).toBe(129e6);
    expect(parseQuantity("1.5")).toBe(1.5);
    expect(parseQuantity(".5Gi")).toBe(2 ** 29);
  });

  it("refuses what is not a quantity", () => {
    for (const bad of ["", "abc", "12 Mi", "12MiB", "1..5", "Mi", undefined, null, {}, Number.NaN])
      expect(parseQuantity(bad)).toBeNull();
  });
});

describe("kubectl top's formats", () => {
  it("prints CPU in whole millicores, rounded up like kubectl", () => {
    expect(formatCpu(0.25)).toBe("250m");
    expect(formatCpu(0.0001)).toBe("1m");
    expect(formatCpu(0)).toBe("0m");
    expect(formatCpu(2)).toBe("2000m");
    // Float noise from summing nanocores must not add a millicore.
    expect(formatCpu(0.1 + 0.2)).toBe("300m");
  });

  it("prints memory in whole mebibytes, rounded down like kubectl", () => {
    expect(formatMemory(300 * 2 ** 20)).toBe("300Mi");
    expect(formatMemory(300 * 2 ** 20 - 1)).toBe("299Mi");
    expect(formatMemory(0)).toBe("0Mi");
  });

  it("prints totals for a sentence", () => {
    expect(formatCores(0.254)).toBe("0.25");
    expect(formatCores(32)).toBe("32");
    expect(formatBytes(600 * 2 ** 20)).toBe("600Mi");
    expect(formatBytes(1.5 * 2 ** 30)).toBe("1.5Gi");
    expect(formatBytes(256 * 2 ** 30)).toBe("256Gi");
  });

  it("gives a share of what is available, or nothing when nothing is", () => {
    expect(percentOf(0.5, 32)).toBe("2%");
    expect(percentOf(16, 32)).toBe("50%");
    expect(percentOf(1, 0)).toBe("");
  });
});
