import { describe, expect, it } from "vitest";
import type { KubeItem } from "./kinds";
import { MAX_STATUS_CHOICES, statusChoices, tableRows } from "./table-rows";

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
  it("sort by name with numbers in order, or newest first", () => {
    expect(names(tableRows(pods, phase, { q: "", status: "", sort: "name" }))).toEqual(["db-1", "web-9", "web-10"]);
    expect(names(tableRows(pods, phase, { q: "", status: "", sort: "age" }))).toEqual(["web-10", "db-1", "web-9"]);
  });

  it("search names and namespaces, whatever the case", () => {
    expect(names(tableRows(pods, phase, { q: " WEB ", status: "", sort: "name" }))).toEqual(["web-9", "web-10"]);
    expect(names(tableRows(pods, phase, { q: "data", status: "", sort: "name" }))).toEqual(["db-1"]);
  });

  it("narrow to one status exactly", () => {
    expect(names(tableRows(pods, phase, { q: "", status: "Running", sort: "name" }))).toEqual(["db-1", "web-10"]);
    expect(names(tableRows(pods, phase, { q: "web", status: "Failed", sort: "name" }))).toEqual(["web-9"]);
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
