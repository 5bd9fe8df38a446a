// GET /api/projects/:id/audit?page=N: the project's audit log (its events and its agents'), newest first,
// 50 a page, as the project's Audit page shows it (maintainers and owners; anyone else: not found).
import { withActor } from "@/lib/api-auth";
import { auditPageQuery } from "@/lib/audit/audit-filter";
import { projectAuditLog } from "@/lib/audit/audit-pages";
import { db } from "@/lib/db/client";
import { invalidFrom } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = withActor(async (actor, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const q = auditPageQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) throw invalidFrom(q.error);
  return Response.json(await projectAuditLog(db(), actor, { id }, q.data.page), {
    headers: { "cache-control": "no-store" },
  });
});
