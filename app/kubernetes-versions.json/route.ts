// GET /kubernetes-versions.json[?date=YYYY-MM-DD]: the version matrix as data, for scripts and monitors.
// Public, like the page; computed by the same rules (lib/versions/rules.ts).
import { NextResponse } from "next/server";
import { parseAsOfDay } from "@/lib/versions/as-of";
import { POLICY } from "@/lib/versions/policy";
import { versionMatrix } from "@/lib/versions/matrix";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  const dates = new URL(req.url).searchParams.getAll("date");
  const asOf = parseAsOfDay(dates.length > 1 ? dates : dates[0]);
  if (!asOf.ok && asOf.error) return NextResponse.json({ error: asOf.error }, { status: 400 });
  const day = asOf.ok ? asOf.day : new Date().toISOString().slice(0, 10);
  const rows = versionMatrix(day);
  return NextResponse.json({
    date: day,
    policy: {
      newMinorSupportedWithinMonths: POLICY.newMinorSupportedWithinMonths,
      minimumSupportedMinors: POLICY.minimumSupportedMinors,
      smokeResultsWithinWeeks: POLICY.smokeResultsWithinWeeks,
      lateSupportNoticeWithinWeeks: POLICY.lateSupportNoticeWithinWeeks,
      helmVersionSkewUrl: POLICY.helmVersionSkewUrl,
    },
    supported: rows.filter((r) => r.state === "supported" || r.state === "ending").map((r) => r.minor),
    minors: rows,
  });
}
