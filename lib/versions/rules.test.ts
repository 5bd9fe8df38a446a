import { describe, expect, it } from "vitest";
import { KUBERNETES_MINORS, POLICY_START } from "./calendar";
import type { SmokeResult } from "./results";
import {
  POLICY_INPUT,
  addMonths,
  helmFor,
  isoDay,
  policyTable,
  supportedMinorsAt,
  tetherReleaseDate,
  tetherReleaseOnOrAfter,
  type PolicyInput,
} from "./rules";

const pass = (kubernetesVersion: string, date: string): SmokeResult => ({
  kubernetesVersion,
  result: "pass",
  date: `${date}T12:00:00Z`,
  commit: "abcdef0",
});
const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

/** Only the calendar and the starting table: no smoke results at all. */
const bare: PolicyInput = { ...POLICY_INPUT, results: [], prereleases: [], notices: [] };

const states = (date: string, input: PolicyInput) =>
  Object.fromEntries(policyTable(date, input).map((r) => [r.minor, r.state]));
const supported = (date: string, input: PolicyInput) => supportedMinorsAt(date, input).map((m) => m.minor);

describe("Tether's release train", () => {
  it("puts the starting table's end releases on their days (third Thursday of the month)", () => {
    expect(tetherReleaseDate("18.0")).toBe("2025-05-15");
    expect(tetherReleaseDate("18.7")).toBe("2025-12-18");
    expect(tetherReleaseDate("18.10")).toBe("2026-03-19");
    expect(tetherReleaseDate("19.2")).toBe("2026-07-16");
    expect(tetherReleaseDate("17.11")).toBeNull();
    expect(tetherReleaseDate("19.12")).toBeNull();
  });
  it("finds the first release on or after a day", () => {
    expect(tetherReleaseOnOrAfter(day("2025-12-18"))).toEqual({ name: "18.7", date: "2025-12-18" });
    expect(tetherReleaseOnOrAfter(day("2025-12-19"))).toEqual({ name: "18.8", date: "2026-01-15" });
    expect(tetherReleaseOnOrAfter(day("2026-11-30"))).toEqual({ name: "19.7", date: "2026-12-17" });
  });
  it("adds months the way a calendar does", () => {
    expect(isoDay(addMonths(day("2025-11-30"), 3))).toBe("2026-02-28");
    expect(isoDay(addMonths(day("2026-08-26"), 3))).toBe("2026-11-26");
  });
});

describe("the starting table (2025)", () => {
  it("reproduces 1.33, 1.32 and 1.31 with the end conditions the policy was written with", () => {
    const rows = policyTable("2025-07-01", bare).filter((r) => r.state === "supported" || r.state === "ending");
    expect(rows.map((r) => [r.minor, r.state, r.condition])).toEqual([
      ["1.33", "supported", "Support ends with release 19.2 (2026-07-16) or when 1.36 becomes supported"],
      ["1.32", "supported", "Support ends with release 18.10 (2026-03-19) or when 1.35 becomes supported"],
      ["1.31", "ending", "Support ends with release 18.7 (2025-12-18) or when 1.34 becomes supported"],
    ]);
  });
  it("shows 1.30 as no longer supported and nothing newer than 1.33 before 1.34 ships", () => {
    expect(states("2025-07-01", bare)).toEqual({
      "1.33": "supported",
      "1.32": "supported",
      "1.31": "ending",
      "1.30": "ended",
    });
  });
});

describe("a new minor", () => {
  it("awaits its smoke tests for 3 months, then is late, with the dates the policy promises", () => {
    const awaiting = policyTable("2025-10-01", bare).find((r) => r.minor === "1.34")!;
    expect(awaiting.state).toBe("awaiting");
    expect(awaiting.condition).toBe(
      "Released 2025-08-27; smoke-test results due by 2025-09-24, support expected by 2025-11-27",
    );
    const late = policyTable("2025-12-01", bare).find((r) => r.minor === "1.34")!;
    expect(late.state).toBe("late");
    expect(late.condition).toBe(
      "Late: not supported within 3 months of its release (2025-08-27). The release expected to bring support is announced here by 2026-01-22.",
    );
  });
  it("shows a published expected-support notice for a late minor", () => {
    const input = { ...bare, notices: [{ minor: "1.34", expectedRelease: "18.8" }] };
    const late = policyTable("2025-12-01", input).find((r) => r.minor === "1.34")!;
    expect(late.condition).toMatch(/Support is expected with release 18\.8 \(2026-01-15\)\.$/);
    expect(late.expectedBy).toBe("2026-01-15");
  });
  it("becomes supported on the day its suite passes, and the minor three older leaves that day", () => {
    const input = { ...bare, results: [pass("1.34.1", "2025-09-10")] };
    expect(supported("2025-09-09", input)).toEqual(["1.33", "1.32", "1.31"]);
    expect(supported("2025-09-10", input)).toEqual(["1.34", "1.33", "1.32"]);
    const gone = policyTable("2025-09-10", input).find((r) => r.minor === "1.31")!;
    expect(gone).toMatchObject({ state: "ended", endedOn: "2025-09-10" });
  });
  it("is only expected when its suite passed on a release candidate, not on a release", () => {
    const input = { ...bare, results: [pass("1.34.0-rc.1", "2025-08-20")] };
    expect(policyTable("2025-09-01", input).find((r) => r.minor === "1.34")).toMatchObject({
      state: "expected",
      condition: "Smoke-tested on 1.34.0-rc.1; support expected by 2025-11-27",
    });
  });
  it("is a preview while only its beta exists and passed, and upcoming before it passed", () => {
    const input: PolicyInput = {
      ...bare,
      prereleases: [{ version: "1.38.0-beta.0", date: "2026-11-06" }],
      results: [],
    };
    expect(policyTable("2026-11-10", input).find((r) => r.minor === "1.38")).toMatchObject({
      state: "upcoming",
      prerelease: "1.38.0-beta.0",
    });
    const tested = { ...input, results: [pass("1.38.0-beta.0", "2026-11-12")] };
    expect(policyTable("2026-11-12", tested).find((r) => r.minor === "1.38")).toMatchObject({ state: "preview" });
  });
});

describe("the minimum of 3 supported minors", () => {
  it("keeps a minor past its end release while no newer one is supported, and says why", () => {
    // No suite ever passed after the start: every end release has passed by late 2026.
    const rows = policyTable("2026-11-30", bare);
    expect(supported("2026-11-30", bare)).toEqual(["1.33", "1.32", "1.31"]);
    const oldest = rows.find((r) => r.minor === "1.31")!;
    expect(oldest).toMatchObject({ state: "ending", extended: true });
    expect(oldest.condition).toBe(
      "Past its end with release 18.7 (2025-12-18); stays supported until 1.34 or another newer minor is supported, so that at least 3 minors are supported",
    );
    expect(rows.filter((r) => r.state === "late").map((r) => r.minor)).toEqual(["1.37", "1.36", "1.35", "1.34"]);
  });
});

describe("walking the calendar month by month, 2025 to 2027", () => {
  // A calendar that continues with plausible future minors, and every minor's suite passing two weeks
  // after its first release (as the policy's 4-week promise allows).
  const future = [
    { minor: "1.38", firstRelease: "2026-12-16" },
    { minor: "1.39", firstRelease: "2027-04-21" },
    { minor: "1.40", firstRelease: "2027-08-25" },
  ];
  const minors = [...KUBERNETES_MINORS, ...future];
  const onTime: PolicyInput = {
    ...bare,
    minors,
    results: minors
      .filter((m) => !POLICY_START.minors.some((s) => s.minor === m.minor) && m.minor !== "1.30")
      .map((m) => pass(`${m.minor}.1`, isoDay(day(m.firstRelease) + 14 * 86_400_000))),
  };
  const months: string[] = [];
  for (let t = day("2025-06-01"); t <= day("2027-12-01"); t = addMonths(t, 1)) months.push(isoDay(t));
  const passDay = (minor: string) => onTime.results.find((r) => r.kubernetesVersion.startsWith(`${minor}.`))?.date;

  it("never has fewer than 3 supported minors", () => {
    for (const d of months) expect(supported(d, onTime).length, d).toBeGreaterThanOrEqual(3);
  });
  it("supports each new minor within 3 months of its release once its suite passes", () => {
    for (const m of minors.filter((x) => passDay(x.minor))) {
      const within = isoDay(addMonths(day(m.firstRelease), 3));
      if (day(within) > day("2027-12-31")) continue;
      const d = isoDay(Math.max(day(passDay(m.minor)!.slice(0, 10)), day(m.firstRelease)));
      expect(supported(d, onTime), `${m.minor} on ${d}`).toContain(m.minor);
      expect(day(d)).toBeLessThanOrEqual(day(within));
    }
  });
  it("drops an old minor when the minor three newer becomes supported, never later", () => {
    for (const d of months) {
      const now = supported(d, onTime);
      for (const m of now) {
        const [major, n] = m.split(".").map(Number) as [number, number];
        expect(now, `${d}: ${m} beside ${major}.${n + 3}`).not.toContain(`${major}.${n + 3}`);
      }
    }
  });
  it("keeps the supported minors a window without gaps, the oldest one marked ending", () => {
    for (const d of months) {
      const rows = policyTable(d, onTime).filter((r) => r.state === "supported" || r.state === "ending");
      const numbers = rows.map((r) => Number(r.minor.split(".")[1]));
      numbers.forEach((n, i) => i > 0 && expect(numbers[i - 1]! - n, d).toBe(1));
      expect(rows.at(-1)!.state, d).toBe("ending");
      expect(
        rows.slice(0, -1).every((r) => r.state === "supported"),
        d,
      ).toBe(true);
    }
  });
});

describe("today, from the committed calendar and results", () => {
  it("supports exactly the minors whose suites passed, newest three, with dated end conditions", () => {
    const today = supportedMinorsAt("2026-11-30");
    expect(today.length).toBeGreaterThanOrEqual(3);
    for (const m of today) {
      expect(m.endsWithReleaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m.endsWhenSupported).toBe(`1.${Number(m.minor.split(".")[1]) + 3}`);
    }
  });
});

describe("Helm's version skew", () => {
  it("names the Helm minors compiled against the same Kubernetes minor or up to 3 newer", () => {
    expect(helmFor("1.37")).toEqual(["4.3", "3.22"]);
    expect(helmFor("1.34")).toEqual(["4.3", "4.2", "3.22", "3.21", "3.20", "3.19"]);
    expect(helmFor("1.31")).toEqual(["3.19", "3.18", "3.17"]);
  });
});
