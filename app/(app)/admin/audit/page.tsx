// The installation's audit log, for administrators; everyone else gets 404.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditFilterForm, exportHref } from "@/components/audit/audit-filter-form";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/shell/app-shell";
import { auditFilterQuery, parseAuditFilter, type AuditFilter } from "@/lib/audit/audit-filter";
import { instanceAuditLog, pageNumber } from "@/lib/audit/audit-pages";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { Invalid, NotFound } from "@/lib/errors";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("/admin/audit");
  const params = await searchParams;
  let filter: AuditFilter = {};
  let error: string | undefined;
  try {
    filter = parseAuditFilter(params);
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    error = e.message;
  }
  const log = await instanceAuditLog(db(), user, pageNumber(params.page), filter).catch((e: unknown) =>
    e instanceof NotFound ? null : Promise.reject(e),
  );
  if (!log) notFound();
  const agents = await db().agent.findMany({ distinct: ["name"], select: { name: true }, orderBy: { name: "asc" } });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <Link href="/admin" className="hover:underline">
          Admin
        </Link>
      </nav>
      <PageHeader
        title="Audit log"
        description="Everything recorded in this installation: sign-ups, groups, projects, agents, tokens, configuration and sharing changes, Kubernetes API access."
      />
      <AuditFilterForm
        base="/admin/audit"
        filter={filter}
        error={error}
        exportHref={error ? null : exportHref(filter)}
        agents={agents.map((a) => a.name)}
      />
      {error ? null : (
        <AuditLog
          log={log}
          base="/admin/audit"
          query={auditFilterQuery(filter)}
          caption="Audit log of this installation"
        />
      )}
    </>
  );
}
