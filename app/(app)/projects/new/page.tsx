import type { Metadata } from "next";
import { NewProjectForm } from "@/components/projects/new-project-form";
import { PageHeader } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { projectNamespaces } from "@/lib/projects";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage({ searchParams }: { searchParams: Promise<{ namespace?: string }> }) {
  const user = await requireUser("/projects/new");
  const { namespace } = await searchParams;
  return (
    <>
      <PageHeader
        title="New project"
        description="A project holds the agents of your clusters and decides who may use them."
      />
      <NewProjectForm namespaces={await projectNamespaces(db(), user)} initialNamespace={namespace} />
    </>
  );
}
