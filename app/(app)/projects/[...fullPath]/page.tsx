import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/app-shell";
import { EmptyState } from "@/components/ui/states";
import { can } from "@/lib/access";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { findVisibleProject } from "@/lib/projects";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ fullPath: string[] }> }) {
  const fullPath = (await params).fullPath.map(decodeURIComponent).join("/");
  const user = await requireUser(`/projects/${fullPath}`);
  const found = await findVisibleProject(db(), user, fullPath).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e)));
  if (!found) notFound();
  const { project, facts } = found;
  const owner = project.group ? (
    <Link href={`/groups/${project.group.path}`} className="text-indigo-600 hover:underline dark:text-indigo-400">{project.group.name}</Link>
  ) : (
    <span>@{project.ownerUser?.username}</span>
  );
  return (
    <>
      <PageHeader title={project.name} description={project.description || project.fullPath} />
      <p className="mb-8 text-sm text-zinc-600 dark:text-zinc-400">Owned by {owner}</p>
      <section aria-labelledby="clusters-heading">
        <h2 id="clusters-heading" className="mb-3 text-lg font-semibold">Kubernetes clusters</h2>
        <EmptyState title="No agents registered yet">
          <p>
            {can.manageProjectAgents(user, facts)
              ? "Register an agent for this project, then install it in your cluster with the token you are shown once. The agent dials out to Tether, so the cluster can sit behind a firewall or NAT."
              : "A maintainer of this project can register an agent for a cluster."}
          </p>
        </EmptyState>
      </section>
    </>
  );
}
