// The project's audit log: maintainers and owners only.
import type { Metadata } from "next";
import { AuditFilterForm, exportHref } from "@/components/audit/audit-filter-form";
import { AuditLog } from "@/components/audit/audit-log";
import { ProjectTabs, auditPath } from "@/components/projects/project-tabs";
import { PageHeader } from "@/components/shell/app-shell";
import { auditFilterQuery, parseAuditFilter, type AuditFilter } from "@/lib/audit/audit-filter";
import { pageNumber, projectAuditLog } from "@/lib/audit/audit-pages";
import { Invalid } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { signedInUser } from "@/app/(app)/signed-in-user";
import { orNotFound, projectFullPath, type ProjectParams } from "../../lookups";

export const metadata: Metadata = { title: "Audit log" };

export default async function ProjectAuditPage({
  params,
  searchParams,
}: {
  params: Promise<ProjectParams>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await signedInUser();
  const query = await searchParams;
  let filter: AuditFilter = {};
  let error: string | undefined;
  try {
    filter = parseAuditFilter(query);
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    error = e.message;
  }
  // Developers, reporters and outsiders get 404, as for any page they may not see.
  const log = await orNotFound(
    projectAuditLog(db(), user, projectFullPath(await params), pageNumber(query.page), filter),
  );
  const agents = await db().agent.findMany({
    where: { projectId: log.project.id },
    select: { name: true },
    orderBy: { name: "asc" },
  });
  const base = auditPath(log.project.fullPath);
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`What happened in ${log.project.fullPath} and to its agents: tokens, configuration and sharing changes, Kubernetes API access.`}
      />
      <ProjectTabs fullPath={log.project.fullPath} current="audit" audit />
      <AuditFilterForm
        base={base}
        filter={filter}
        error={error}
        exportHref={error ? null : exportHref(filter, log.project.fullPath)}
        agents={agents.map((a) => a.name)}
      />
      {error ? null : (
        <AuditLog
          log={log}
          base={base}
          query={auditFilterQuery(filter)}
          caption={`Audit log of ${log.project.fullPath}`}
        />
      )}
    </>
  );
}
