// What a browser reports when a page breaks its Content-Security-Policy (the page policy's report-uri),
// read at the boundary with zod and cut down to what a log line may hold: the directive, and the page and
// the blocked resource without query string or fragment (a page's address may carry an invite link).
// Both wire formats: report-uri's `{"csp-report": {...}}` and the Reporting API's list of reports.
import { z } from "zod";

export const CSP_REPORT_LIMIT = 8 * 1024;
export const CSP_REPORT_TYPES = ["application/csp-report", "application/reports+json", "application/json"];

const text = z.string().max(2048).optional();

const legacy = z.object({
  "csp-report": z.object({
    "document-uri": text,
    "violated-directive": text,
    "effective-directive": text,
    "blocked-uri": text,
    "source-file": text,
    "line-number": z.number().optional(),
  }),
});

const reportingApi = z
  .array(
    z.object({
      type: z.literal("csp-violation"),
      body: z.object({
        documentURL: text,
        effectiveDirective: text,
        blockedURL: text,
        sourceFile: text,
        lineNumber: z.number().optional(),
      }),
    }),
  )
  .min(1)
  .max(20);

export interface CspViolation {
  directive: string;
  /** The page: origin and path. */
  page: string;
  /** What was blocked: origin and path of a URL, or the browser's keyword ("inline", "eval", …). */
  blocked: string;
}

/** Origin and path of a URL; a keyword as it is; query strings and fragments never. */
export function withoutQuery(value: string | undefined): string {
  if (!value) return "";
  try {
    const u = new URL(value);
    return u.origin === "null" ? `${u.protocol}` : `${u.origin}${u.pathname}`;
  } catch {
    return value.split(/[?#]/, 1)[0]!.slice(0, 200);
  }
}

/** The violations in a report body, or null when it is no CSP report. */
export function parseCspReport(body: string): CspViolation[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const one = legacy.safeParse(json);
  if (one.success) {
    const r = one.data["csp-report"];
    return [
      {
        directive: r["effective-directive"] ?? r["violated-directive"] ?? "",
        page: withoutQuery(r["document-uri"]),
        blocked: withoutQuery(r["blocked-uri"]),
      },
    ];
  }
  const many = reportingApi.safeParse(json);
  if (many.success)
    return many.data.map(({ body: b }) => ({
      directive: b.effectiveDirective ?? "",
      page: withoutQuery(b.documentURL),
      blocked: withoutQuery(b.blockedURL),
    }));
  return null;
}
