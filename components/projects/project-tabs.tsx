// The project pages' tabs: Overview, Kubernetes clusters, Settings (CI), and the audit log for those who may read it.
import { TabNav } from "@/components/ui/tab-nav";
import { clustersPath } from "@/lib/agents";

export const projectPath = (fullPath: string) => `/projects/${fullPath}`;

export const auditPath = (fullPath: string) => `/projects/${fullPath}/-/audit`;

export const settingsPath = (fullPath: string) => `/projects/${fullPath}/-/settings`;

export function ProjectTabs({
  fullPath,
  current,
  audit,
}: {
  fullPath: string;
  current: "overview" | "clusters" | "settings" | "audit";
  audit: boolean;
}) {
  return (
    <TabNav
      label="Project"
      current={current}
      items={[
        { key: "overview", label: "Overview", href: projectPath(fullPath) },
        { key: "clusters", label: "Kubernetes clusters", href: clustersPath(fullPath) },
        { key: "settings", label: "Settings", href: settingsPath(fullPath) },
        ...(audit ? [{ key: "audit", label: "Audit log", href: auditPath(fullPath) }] : []),
      ]}
    />
  );
}
