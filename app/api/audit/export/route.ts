// GET /api/audit/export?project=<namespace/project>&actor=&action=&agent=&from=&to=&q=: the audit log
// events the filter selects as a CSV download; without `project`, the installation's (admins only).
import { auditCsv } from "@/lib/audit/audit-csv";
import { auditExportProject, parseAuditFilter } from "@/lib/audit/audit-filter";
import { auditExport } from "@/lib/audit/audit-pages";
import { db } from "@/lib/db/client";
import { invalidFrom } from "@/lib/errors";
import { withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, req) => {
  const params = new URL(req.url).searchParams;
  const filter = parseAuditFilter(params);
  const rawProject = params.get("project");
  let scope: { project: string } | "instance" = "instance";
  if (rawProject !== null) {
    const parsed = auditExportProject.safeParse(rawProject);
    if (!parsed.success) throw invalidFrom(parsed.error, { field: "project" });
    scope = { project: parsed.data };
  }
  const { rows, total, name } = await auditExport(db(), user, scope, filter);
  const file = `audit-${name.replace(/[^a-zA-Z0-9_.-]+/g, "-")}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(auditCsv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file}"`,
      "cache-control": "no-store",
      // How many events matched, when the export holds fewer (AUDIT_EXPORT_LIMIT).
      "x-audit-total": String(total),
    },
  });
});
