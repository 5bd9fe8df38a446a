// The project's audit log: maintainers and owners only.
import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { ProjectTabs, auditPath } from "@/components/projects/project-tabs";
import { PageHeader } from "@/components/shell/app-shell";
import { pageNumber, projectAuditLog } from "@/lib/audit/audit-pages";
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
  // Developers, reporters and outsiders get 404, as for any page they may not see.
  const log = await orNotFound(
    projectAuditLog(db(), user, projectFullPath(await params), pageNumber((await searchParams).page)),
  );
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`What happened in ${log.project.fullPath} and to its agents: tokens, configuration and sharing changes, Kubernetes API access.`}
      />
      <ProjectTabs fullPath={log.project.fullPath} current="audit" audit />
      <AuditLog log={log} base={auditPath(log.project.fullPath)} caption={`Audit log of ${log.project.fullPath}`} />
    </>
  );
}
