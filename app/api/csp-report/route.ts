// POST /api/csp-report: where browsers report violations of the page policy (its report-uri). No sign-in
// (browsers send reports by themselves); at most 8 KiB; each violation is one warning in web's log with the
// directive, and the page and blocked resource without their query strings; at most 30 lines a minute.
import { parse as parseContentType } from "content-type";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { HttpError, errorResponse, readBodyBytes } from "@/lib/http/body";
import { logger } from "@/lib/log/logger";
import { CSP_REPORT_LIMIT, CSP_REPORT_TYPES, parseCspReport } from "@/lib/web-security/csp-report";

export const dynamic = "force-dynamic";

const log = logger.child({ capability: "web-security" });
const logged = new RateLimiterMemory({ points: 30, duration: 60 });

export async function POST(req: Request): Promise<Response> {
  let type = "";
  try {
    type = parseContentType(req.headers.get("content-type") ?? "").type;
  } catch {
    /* refused below */
  }
  if (!CSP_REPORT_TYPES.includes(type))
    return errorResponse(415, `Send a CSP report (Content-Type: ${CSP_REPORT_TYPES.join(" or ")})`);
  let body: Buffer;
  try {
    body = await readBodyBytes(req, CSP_REPORT_LIMIT);
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(e.status, e.message);
    throw e;
  }
  const violations = parseCspReport(body.toString("utf8"));
  if (!violations) return errorResponse(400, "Not a Content-Security-Policy violation report");
  for (const v of violations) {
    const within = await logged.consume("all").then(
      () => true,
      () => false,
    );
    if (within) log.warn({ event: "csp_violation", ...v }, "a browser reported a Content-Security-Policy violation");
  }
  return new Response(null, { status: 204 });
}
