"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LinkButton } from "@/components/ui/link-button";
import { fetchJson } from "@/components/providers";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { ProjectSummary } from "@/lib/projects/list";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";

export function ProjectList() {
  const q = useQuery({
    queryKey: ["projects"],
    queryFn: () => fetchJson<{ projects: ProjectSummary[] }>("/api/projects"),
  });
  useSignInWhenExpired(q.error, "/projects");

  if (q.isPending) return <LoadingState label="Loading projects…" />;
  if (q.isError)
    return <ErrorState title="Could not load projects" message={q.error.message} onRetry={() => void q.refetch()} />;
  if (q.data.projects.length === 0) {
    return (
      <EmptyState
        title="No projects yet"
        action={<LinkButton href="/projects/new">Create your first project</LinkButton>}
      >
        <p>A project is where you register an agent for a Kubernetes cluster and decide who may use it.</p>
        <ol className="mx-auto mt-4 max-w-md list-decimal space-y-1 text-left">
          <li>Create a group for your team, or a project of your own.</li>
          <li>Register an agent to the project and copy its token (shown once).</li>
          <li>Install the agent in your cluster; it dials out, so no inbound firewall rule is needed.</li>
        </ol>
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
      {q.data.projects.map((p) => (
        <li key={p.id} className="px-4 py-3">
          <Link
            href={`/projects/${p.fullPath}`}
            className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
          >
            {p.fullPath}
          </Link>
          {p.description ? <div className="text-sm text-zinc-500">{p.description}</div> : null}
        </li>
      ))}
    </ul>
  );
}
