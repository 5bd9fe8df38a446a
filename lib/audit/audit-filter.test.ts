// The audit filter read from a query string, and the CSV writer.
import { describe, expect, it } from "vitest";
import { Invalid } from "@/lib/errors";
import { auditCsv } from "./audit-csv";
import { auditFilterQuery, parseAuditFilter } from "./audit-filter";

describe("audit filter", () => {
  it("reads every filter, drops empty ones and accepts @username", () => {
    const f = parseAuditFilter(
      new URLSearchParams("actor=@Olga&action=agent&agent=Prod&from=2026-11-01&to=2026-11-30&q=&page=2"),
    );
    expect(f).toEqual({ actor: "olga", action: "agent", agent: "prod", from: "2026-11-01", to: "2026-11-30" });
    expect(auditFilterQuery(f)).toBe("actor=olga&action=agent&agent=prod&from=2026-11-01&to=2026-11-30");
    expect(parseAuditFilter({ actor: ["", "x"] })).toEqual({});
  });

  it("names the field of a bad value", () => {
    for (const [query, message, field] of [
      ["from=30.11.2026", "Dates are written YYYY-MM-DD", "from"],
      ["to=2026-13-45", "Not a calendar date", "to"],
      ["from=2026-11-30&to=2026-11-01", "“From” is after “to”", "to"],
      ["action=DROP TABLE", "Actions are written like agent.deleted or agent_token", "action"],
    ] as const) {
      let error: unknown;
      try {
        parseAuditFilter(new URLSearchParams(query));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Invalid);
      expect(error).toMatchObject({ message, field });
    }
  });
});

describe("audit CSV", () => {
  it("quotes commas, quotes and newlines, and defuses cells a spreadsheet would run as formulas", () => {
    const csv = auditCsv([
      {
        id: "1",
        createdAt: "2026-11-30T10:00:00.000Z",
        actor: "@olga",
        action: "agent.deleted",
        summary: 'Deleted agent "prod", for good',
        details: [
          { label: "Name", value: "=HYPERLINK(1)" },
          { label: "Note", value: "two\nlines" },
        ],
        ip: null,
      },
      {
        id: "2",
        createdAt: "2026-11-30T09:00:00.000Z",
        actor: null,
        action: "x",
        summary: "-1+1",
        details: [],
        ip: "127.0.0.1",
      },
    ]);
    expect(csv).toBe(
      "time,actor,action,summary,details,ip\n" +
        '2026-11-30T10:00:00.000Z,olga,agent.deleted,"Deleted agent ""prod"", for good","Name: =HYPERLINK(1); Note: two\nlines",\n' +
        "2026-11-30T09:00:00.000Z,,x,'-1+1,,127.0.0.1\n",
    );
  });
});
