import { describe, expect, it } from "vitest";
import { KINDS, type KubeItem } from "./kinds";
import { SEED_ROWS, tableSeed } from "./table-seed";
import { tableRows } from "./table-rows";
import { parseSort } from "./sort";

const pods = KINDS.find((k) => k.key === "pods")!;
const paths = ["/api/v1/namespaces", "/api/v1/pods"];
const pod = (name: string, namespace: string, phase = "Running"): KubeItem => ({
  metadata: { name, namespace, creationTimestamp: "2026-12-01T00:00:00Z" },
  status: { phase },
});
const many = Array.from({ length: 500 }, (_, i) => pod(`web-${i}`, i % 2 ? "a" : "b", i % 7 ? "Running" : "Pending"));
const namespaces: KubeItem[] = [
  { metadata: { name: "a", uid: "1" }, spec: { finalizers: ["kubernetes"] } },
  { metadata: { name: "b", uid: "2" } },
];

describe("a table's first rows from the server", () => {
  it("are the rows the page shows first, in the view's order, with the whole table's count", () => {
    const view = { q: "web-1", status: "Running", sort: "-name" };
    const seed = tableSeed(paths, [namespaces, many], pods, view, 0)!;
    const all = tableRows(many, pods, { q: view.q, status: view.status, sort: parseSort(view.sort) }, 0);
    expect(seed.total).toBe(all.length);
    expect(seed.items.map((o) => o.metadata.name)).toEqual(all.slice(0, SEED_ROWS).map((o) => o.metadata.name));
    expect(seed.items).toHaveLength(SEED_ROWS);
    // The page sorts and filters the seed again: the same rows in the same order.
    expect(tableRows(seed.items, pods, { q: view.q, status: view.status, sort: parseSort(view.sort) }, 0)).toEqual(
      seed.items,
    );
    expect(seed.pathsKey).toBe(paths.join("\n"));
    expect(seed.view).toEqual(view);
  });

  it("carries the namespaces' names only, and several namespaces' collections together", () => {
    const seed = tableSeed(
      ["/api/v1/namespaces", "/api/v1/namespaces/a/pods", "/api/v1/namespaces/b/pods"],
      [namespaces, [pod("x", "a")], [pod("y", "b")]],
      pods,
      { q: "", status: "", sort: "" },
    )!;
    expect(seed.namespaces).toEqual([{ metadata: { name: "a" } }, { metadata: { name: "b" } }]);
    expect(seed.items.map((o) => o.metadata.name)).toEqual(["x", "y"]);
    expect(seed.total).toBe(2);
  });

  it("is none unless every collection of the stream is in the cache", () => {
    expect(tableSeed(paths, [namespaces, null], pods, { q: "", status: "", sort: "" })).toBeNull();
    expect(tableSeed(paths, [null, many], pods, { q: "", status: "", sort: "" })).toBeNull();
    expect(tableSeed(paths, [namespaces], pods, { q: "", status: "", sort: "" })).toBeNull();
  });
});
