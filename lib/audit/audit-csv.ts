// The audit log as CSV (RFC 4180, through csv-stringify): one row per event with the sentence and its
// details. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with "'".
import { stringify } from "csv-stringify/sync";
import type { AuditRow } from "./audit-pages";

const FORMULA = /^[=+\-@\t\r]/;
const cell = (s: string): string => (FORMULA.test(s) ? `'${s}` : s);

export function auditCsv(rows: AuditRow[]): string {
  return stringify(
    rows.map((r) => [
      r.createdAt,
      // "@olga" would start like a formula; the column is the username.
      r.actor?.replace(/^@/, "") ?? "",
      r.action,
      r.summary,
      r.details.map((d) => `${d.label}: ${d.value}`).join("; "),
      r.ip ?? "",
    ]),
    { header: true, columns: ["time", "actor", "action", "summary", "details", "ip"], cast: { string: cell } },
  );
}
