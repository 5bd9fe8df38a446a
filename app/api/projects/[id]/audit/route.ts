// GET /api/projects/:id/audit?page=N: the project's audit log (its events and its agents'), newest first,
// 50 a page, as the project's Audit page shows it (maintainers and owners; anyone else: not found).
import { z } from "zod";
import { withActor } from "@/lib/api-auth";
import { projectAuditLog } from "@/lib/audit/audit-pages";
import { db } from "@/lib/db/client";
import { invalidFrom } from "@/lib/errors";

export const dynamic = "force-dynamic";

const query = z.object({
  page: z.coerce
    .number({ error: "page must be a whole number from 1" })
    .int("page must be a whole number from 1")
    .min(1, "page must be a whole number from 1")
    .default(1),
});

export const GET = withActor(async (actor, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const q = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) throw invalidFrom(q.error);
  return Response.json(await projectAuditLog(db(), actor, { id }, q.data.page), {
    headers: { "cache-control": "no-store" },
  });
});
