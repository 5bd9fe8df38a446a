import type { Metadata } from "next";
import { ProjectList } from "@/components/projects/project-list";
import { PageHeader } from "@/components/shell/app-shell";

export const metadata: Metadata = { title: "Projects" };

export default function ProjectsPage() {
  return (
    <>
      <PageHeader title="Projects" description="Projects you own or that belong to your groups." />
      <ProjectList />
    </>
  );
}
