// The day a visitor asks the version matrix for (?date=YYYY-MM-DD on the page and the JSON route).
import { z } from "zod";

const DaySchema = z.iso.date();

export type AsOf = { ok: true; day: string; today: boolean } | { ok: false; error: string | null };

/** Absent → today (no error); a well-formed day from 2014 to 2100 → that day; anything else → an error to show. */
export function parseAsOfDay(raw: string | string[] | undefined | null, now: Date = new Date()): AsOf {
  if (raw === undefined || raw === null || raw === "") return { ok: false, error: null };
  if (Array.isArray(raw)) return { ok: false, error: "Give one date (date=YYYY-MM-DD), not several." };
  if (!DaySchema.safeParse(raw).success)
    return { ok: false, error: `"${raw.slice(0, 40)}" is not a date like 2026-11-30.` };
  const year = Number(raw.slice(0, 4));
  if (year < 2014 || year > 2100)
    return { ok: false, error: `${raw} is outside the years the calendar covers (2014–2100).` };
  return { ok: true, day: raw, today: raw === now.toISOString().slice(0, 10) };
}
