import type { Metadata } from "next";
import { ProjectList } from "@/components/projects/project-list";
import { PageHeader } from "@/components/shell/app-shell";
import { LinkButton } from "@/components/ui/link-button";

export const metadata: Metadata = { title: "Projects" };

export default function ProjectsPage() {
  return (
    <>
      <PageHeader
        title="Projects"
        description="Projects you own or that belong to your groups."
        actions={<LinkButton href="/projects/new">New project</LinkButton>}
      />
      <ProjectList />
    </>
  );
}
