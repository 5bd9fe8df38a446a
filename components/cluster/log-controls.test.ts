import { describe, expect, it } from "vitest";
import { logStatus } from "./log-controls";

describe("a log view's status line", () => {
  it("says loading, following (with the logs of a view of several) and the lines held, or only the lines once ended", () => {
    expect(logStatus({ state: "loading", lines: 0, matches: null })).toBe("Loading…");
    expect(logStatus({ state: "following", lines: 1, matches: null })).toBe("Following · 1 line");
    expect(logStatus({ state: "following", lines: 12, logs: 3, matches: null })).toBe("Following 3 logs · 12 lines");
    expect(logStatus({ state: "following", lines: 5, logs: 1, matches: 1 })).toBe(
      "Following 1 log · 5 lines · 1 match",
    );
    expect(logStatus({ state: "ended", lines: 0, logs: 2, matches: 0 })).toBe("0 lines · 0 matches");
    expect(logStatus({ state: "error", lines: 3, matches: null })).toBe("");
  });
});
