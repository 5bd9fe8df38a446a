import { describe, expect, it } from "vitest";
import { errorLine, formatRelative, formatUtc } from "./format";

describe("formatRelative", () => {
  const now = Date.UTC(2025, 0, 31, 12, 0, 0);
  it.each([
    [0, "just now"],
    [4_999, "just now"],
    [-30_000, "just now"],
    [5_000, "5 s ago"],
    [59_999, "59 s ago"],
    [60_000, "1 min ago"],
    [59 * 60_000, "59 min ago"],
    [3600_000, "1 h ago"],
    [47 * 3600_000, "47 h ago"],
    [48 * 3600_000, "2 days ago"],
  ])("%i ms ago reads %s", (ago, text) => {
    expect(formatRelative(now - ago, now)).toBe(text);
  });
  it("formats absolute times in UTC to the minute", () => {
    expect(formatUtc("2025-01-31T14:05:59.123Z")).toBe("2025-01-31 14:05 UTC");
  });
});

describe("errorLine", () => {
  it("reads the line a configuration error names", () => {
    expect(errorLine('line 4: ci_access.projects.0: unknown key "foo"')).toBe(4);
    expect(errorLine("line 12: Map keys must be unique")).toBe(12);
    expect(errorLine('no group "x"')).toBeNull();
    expect(errorLine(undefined)).toBeNull();
  });
});
