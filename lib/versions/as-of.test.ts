import { describe, expect, it } from "vitest";
import { parseAsOfDay } from "./as-of";

const now = new Date("2026-11-30T15:00:00Z");

describe("parseAsOfDay", () => {
  it("no date means today, without an error", () => {
    expect(parseAsOfDay(undefined, now)).toEqual({ ok: false, error: null });
    expect(parseAsOfDay("", now)).toEqual({ ok: false, error: null });
  });
  it("takes a day and says whether it is today", () => {
    expect(parseAsOfDay("2025-07-01", now)).toEqual({ ok: true, day: "2025-07-01", today: false });
    expect(parseAsOfDay("2026-11-30", now)).toEqual({ ok: true, day: "2026-11-30", today: true });
  });
  it.each([
    ["2025-13-01", /is not a date like/],
    ["yesterday", /is not a date like/],
    ["2025-02-30", /is not a date like/],
    ["1999-01-01", /outside the years/],
  ])("refuses %j with a clear message", (raw, message) => {
    const r = parseAsOfDay(raw, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });
  it("refuses several dates", () => {
    expect(parseAsOfDay(["2025-01-01", "2025-02-01"], now)).toEqual({
      ok: false,
      error: "Give one date (date=YYYY-MM-DD), not several.",
    });
  });
});
