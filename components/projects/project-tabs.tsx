// The project pages' tabs: Overview, Kubernetes clusters, and the audit log for those who may read it.
import { TabNav } from "@/components/ui/tab-nav";
import { clustersPath } from "@/lib/agents";

export const projectPath = (fullPath: string) => `/projects/${fullPath}`;

export const auditPath = (fullPath: string) => `/projects/${fullPath}/-/audit`;

export function ProjectTabs({
  fullPath,
  current,
  audit,
}: {
  fullPath: string;
  current: "overview" | "clusters" | "audit";
  audit: boolean;
}) {
  return (
    <TabNav
      label="Project"
      current={current}
      items={[
        { key: "overview", label: "Overview", href: projectPath(fullPath) },
        { key: "clusters", label: "Kubernetes clusters", href: clustersPath(fullPath) },
        ...(audit ? [{ key: "audit", label: "Audit log", href: auditPath(fullPath) }] : []),
      ]}
    />
  );
}
