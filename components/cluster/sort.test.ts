import { describe, expect, it } from "vitest";
import { ariaSort, cellKey, columnId, formatSort, nextSort, parseSort, sortBy } from "./sort";

const sorted = (cells: string[], dir: "asc" | "desc" = "asc") =>
  sortBy(cells, cellKey, dir, (a, b) => a.localeCompare(b));

describe("sorting a column", () => {
  it("orders ages and durations by length of time, not as text", () => {
    expect(sorted(["3d", "5m", "2h", "45s", "119s", "1y", "2m30s"])).toEqual([
      "45s",
      "119s",
      "2m30s",
      "5m",
      "2h",
      "3d",
      "1y",
    ]);
    expect(sorted(["3d", "5m", "2h"], "desc")).toEqual(["3d", "2h", "5m"]);
  });

  it("orders counts as numbers and ready ratios by how ready", () => {
    expect(sorted(["10", "2", "0", "1"])).toEqual(["0", "1", "2", "10"]);
    expect(sorted(["2/2", "1/2", "0/1 ContainerCreating", "0/1 CrashLoopBackOff", "3/3", "0/0"])).toEqual([
      "0/0",
      "0/1 ContainerCreating",
      "0/1 CrashLoopBackOff",
      "1/2",
      "2/2",
      "3/3",
    ]);
    expect(sorted(["1/2 ready", "2/2 ready", "0/2 ready"], "desc")).toEqual(["2/2 ready", "1/2 ready", "0/2 ready"]);
  });

  it("orders text naturally and keeps empty cells last both ways", () => {
    expect(sorted(["web-10", "", "web-9", "<none>", "10.0.0.10", "10.0.0.9"])).toEqual([
      "10.0.0.9",
      "10.0.0.10",
      "web-9",
      "web-10",
      "",
      "<none>",
    ]);
    expect(sorted(["b", "", "a"], "desc")).toEqual(["b", "a", ""]);
  });

  it("keeps the tie-break's order among equal cells", () => {
    const rows = [
      { n: "b", v: "1" },
      { n: "a", v: "1" },
      { n: "c", v: "0" },
    ];
    const by = (dir: "asc" | "desc") =>
      sortBy(
        rows,
        (r) => cellKey(r.v),
        dir,
        (x, y) => x.n.localeCompare(y.n),
      ).map((r) => r.n);
    expect(by("asc")).toEqual(["c", "a", "b"]);
    expect(by("desc")).toEqual(["a", "b", "c"]);
  });

  it("reads and writes the URL's sort=, cycling ascending, descending, none", () => {
    expect(parseSort("age")).toEqual({ column: "age", dir: "asc" });
    expect(parseSort("-controlled-by")).toEqual({ column: "controlled-by", dir: "desc" });
    expect(parseSort("")).toBeNull();
    expect(parseSort("-")).toBeNull();
    expect(parseSort("a b")).toBeNull();
    expect(formatSort({ column: "restarts", dir: "desc" })).toBe("-restarts");
    expect(formatSort(null)).toBe("");
    const first = nextSort(null, "restarts");
    expect(first).toEqual({ column: "restarts", dir: "asc" });
    const second = nextSort(first, "restarts");
    expect(second).toEqual({ column: "restarts", dir: "desc" });
    expect(nextSort(second, "restarts")).toBeNull();
    expect(nextSort(second, "age")).toEqual({ column: "age", dir: "asc" });
    expect(ariaSort(second, "restarts")).toBe("descending");
    expect(ariaSort(second, "age")).toBe("none");
    expect(columnId("Controlled by")).toBe("controlled-by");
    expect(columnId("Type and reason")).toBe("type-and-reason");
  });
});
