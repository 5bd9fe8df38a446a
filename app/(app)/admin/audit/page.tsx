// The installation's audit log, for administrators; everyone else gets 404.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/shell/app-shell";
import { instanceAuditLog, pageNumber } from "@/lib/audit/audit-pages";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("/admin/audit");
  const log = await instanceAuditLog(db(), user, pageNumber((await searchParams).page)).catch((e: unknown) =>
    e instanceof NotFound ? null : Promise.reject(e),
  );
  if (!log) notFound();
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
      <AuditLog log={log} base="/admin/audit" caption="Audit log of this installation" />
    </>
  );
}
