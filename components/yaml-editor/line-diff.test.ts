// The diff views show what changed, with line numbers on each side.
import { describe, expect, it } from "vitest";
import { describeDiff, lineDiff } from "./line-diff";

describe("lineDiff", () => {
  it("numbers removed lines in the old text and added lines in the new, with context around them", () => {
    const before = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\n";
    const after = "a: 1\nb: 2\nc: 3\nd: 4\ne: five\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10";
    const d = lineDiff(before, after, 1);
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
    expect(d.hunks).toEqual([
      {
        header: "@@ -4,3 +4,3 @@",
        lines: [
          { kind: "same", oldLine: 4, newLine: 4, text: "d: 4" },
          { kind: "del", oldLine: 5, text: "e: 5" },
          { kind: "add", newLine: 5, text: "e: five" },
          { kind: "same", oldLine: 6, newLine: 6, text: "f: 6" },
        ],
      },
      {
        header: "@@ -9,1 +9,2 @@",
        lines: [
          { kind: "same", oldLine: 9, newLine: 9, text: "i: 9" },
          { kind: "add", newLine: 10, text: "j: 10" },
        ],
      },
    ]);
  });

  it("finds nothing between equal texts, and treats a missing final newline as no change", () => {
    expect(lineDiff("a: 1\n", "a: 1")).toEqual({ hunks: [], added: 0, removed: 0 });
  });

  it("diffs from and to an empty text", () => {
    expect(lineDiff("", "a: 1\n")).toMatchObject({ added: 1, removed: 0 });
    expect(lineDiff("a: 1\nb: 2\n", "")).toMatchObject({ added: 0, removed: 2 });
  });
});

describe("describeDiff", () => {
  it("says how much changed, in words", () => {
    expect(describeDiff({ added: 0, removed: 0 })).toBe("No differences");
    expect(describeDiff({ added: 1, removed: 0 })).toBe("1 line added");
    expect(describeDiff({ added: 0, removed: 3 })).toBe("3 lines removed");
    expect(describeDiff({ added: 2, removed: 1 })).toBe("2 lines added, 1 removed");
  });
});
