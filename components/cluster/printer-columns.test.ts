import { describe, expect, it } from "vitest";
import type { PrinterColumn } from "@/lib/cluster-cache";
import { printerColumnValue, tableColumns } from "./printer-columns";

const now = Date.parse("2026-01-02T00:00:00Z");
const helmRelease = {
  metadata: { name: "podinfo", namespace: "apps", creationTimestamp: "2026-01-01T22:00:00Z" },
  spec: { replicas: 3, suspend: false, chart: { spec: { chart: "podinfo" } } },
  status: {
    conditions: [
      { type: "Reconciling", status: "False" },
      { type: "Ready", status: "True", message: "Helm install succeeded" },
    ],
  },
};
const column = (jsonPath: string, type: PrinterColumn["type"] = "string"): PrinterColumn => ({
  name: "C",
  type,
  jsonPath,
});

describe("printer columns", () => {
  it("reads a condition by type, as Flux's Ready and Status columns do", () => {
    expect(printerColumnValue(helmRelease, column('.status.conditions[?(@.type=="Ready")].status'), now)).toBe("True");
    expect(printerColumnValue(helmRelease, column('.status.conditions[?(@.type=="Ready")].message'), now)).toBe(
      "Helm install succeeded",
    );
  });

  it("shows numbers and booleans as text, and a date as an age", () => {
    expect(printerColumnValue(helmRelease, column(".spec.replicas", "integer"), now)).toBe("3");
    expect(printerColumnValue(helmRelease, column(".spec.suspend", "boolean"), now)).toBe("false");
    expect(printerColumnValue(helmRelease, column(".metadata.creationTimestamp", "date"), now)).toBe("2h");
  });

  it("accepts kubectl's braces and shows nothing for a missing value", () => {
    expect(printerColumnValue(helmRelease, column("{.spec.chart.spec.chart}"), now)).toBe("podinfo");
    expect(printerColumnValue(helmRelease, column(".status.lastAppliedRevision"), now)).toBe("");
    expect(printerColumnValue(helmRelease, column('.status.conditions[?(@.type=="Stalled")].status'), now)).toBe("");
  });

  it("shows an object or list value as JSON", () => {
    expect(printerColumnValue(helmRelease, column(".spec.chart.spec"), now)).toBe('{"chart":"podinfo"}');
  });

  it("leaves out a column of the creation time, which the Age column already shows", () => {
    expect(
      tableColumns([column(".spec.url"), column(".metadata.creationTimestamp", "date")]).map((c) => c.jsonPath),
    ).toEqual([".spec.url"]);
  });
});
