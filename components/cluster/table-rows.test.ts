import { describe, expect, it } from "vitest";
import type { KubeItem } from "./kinds";
import { parseSort } from "./sort";
import { MAX_STATUS_CHOICES, statusChoices, tableColumns, tableRows } from "./table-rows";

const pod = (name: string, namespace: string, phase: string, created: string): KubeItem => ({
  metadata: { name, namespace, creationTimestamp: created },
  status: { phase },
});
const pods = [
  pod("web-10", "shop", "Running", "2026-01-01T00:00:03Z"),
  pod("web-9", "shop", "Failed", "2026-01-01T00:00:01Z"),
  pod("db-1", "data", "Running", "2026-01-01T00:00:02Z"),
];
const phase = { status: (o: KubeItem) => String(o.status?.phase ?? "") };
const names = (rows: KubeItem[]) => rows.map((o) => o.metadata.name);

describe("table rows", () => {
  it("sort by name with numbers in order by default, or by any column both ways", () => {
    const now = Date.parse("2026-01-01T00:10:00Z");
    const rows = (sort: string) => names(tableRows(pods, phase, { q: "", status: "", sort: parseSort(sort) }, now));
    expect(rows("")).toEqual(["db-1", "web-9", "web-10"]);
    expect(rows("-name")).toEqual(["web-10", "web-9", "db-1"]);
    // Age ascending: the youngest first, to the second (each is "9m" on screen).
    expect(rows("age")).toEqual(["web-10", "db-1", "web-9"]);
    expect(rows("-age")).toEqual(["web-9", "db-1", "web-10"]);
    expect(rows("status")).toEqual(["web-9", "db-1", "web-10"]);
    expect(rows("-namespace")).toEqual(["web-9", "web-10", "db-1"]);
    // An unknown column is the table's own order.
    expect(rows("-nope")).toEqual(["db-1", "web-9", "web-10"]);
  });

  it("name each column for the URL, the status column by its heading", () => {
    const ids = (k: Parameters<typeof tableColumns>[0]) => tableColumns(k).map((c) => c.id);
    expect(ids(phase)).toEqual(["name", "namespace", "status", "age"]);
    expect(ids({ ...phase, statusLabel: "Ready", extraColumns: [{ name: "Controlled by", value: () => "" }] })).toEqual(
      ["name", "namespace", "ready", "controlled-by", "age"],
    );
    expect(ids({ ...phase, columns: [{ name: "Name", value: () => "" }] })).toEqual([
      "name",
      "namespace",
      "name-2",
      "age",
    ]);
  });

  it("search names and namespaces, whatever the case", () => {
    expect(names(tableRows(pods, phase, { q: " WEB ", status: "", sort: null }))).toEqual(["web-9", "web-10"]);
    expect(names(tableRows(pods, phase, { q: "data", status: "", sort: null }))).toEqual(["db-1"]);
  });

  it("narrow to one status exactly", () => {
    expect(names(tableRows(pods, phase, { q: "", status: "Running", sort: null }))).toEqual(["db-1", "web-10"]);
    expect(names(tableRows(pods, phase, { q: "web", status: "Failed", sort: null }))).toEqual(["web-9"]);
  });
});

describe("status choices", () => {
  it("offer the statuses the table holds, and a linked status even when no row has it", () => {
    expect(statusChoices(pods, phase, "")).toEqual(["Failed", "Running"]);
    expect(statusChoices(pods, phase, "Pending")).toEqual(["Failed", "Pending", "Running"]);
  });

  it("offer nothing for printer columns or for free-text statuses, except a linked one", () => {
    expect(statusChoices(pods, { ...phase, columns: [{ name: "Ready", value: () => "True" }] }, "")).toEqual([]);
    const many = Array.from({ length: MAX_STATUS_CHOICES + 1 }, (_, i) => pod(`p${i}`, "x", `phase-${i}`, ""));
    expect(statusChoices(many, phase, "")).toEqual([]);
    expect(statusChoices(many, phase, "phase-3")).toEqual(["phase-3"]);
  });
});
