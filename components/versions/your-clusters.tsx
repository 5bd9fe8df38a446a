import Link from "next/link";
import { EmptyState } from "@/components/ui/states";
import type { ClusterVersionRow } from "@/lib/versions/clusters";
import { StatusBadge } from "./version-badge";

function formatDate(d: Date): string {
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** The signed-in user's clusters, each with its reported version and support badge. */
export function YourClusters({ clusters }: { clusters: ClusterVersionRow[] }) {
  if (clusters.length === 0) {
    return (
      <EmptyState title="No clusters connected yet">
        <p>
          Register an agent to a project and install it in your cluster; its Kubernetes version appears here with its
          support status.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your clusters and their Kubernetes versions</caption>
        <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
          <tr>
            <th scope="col" className="py-2 font-medium">
              Agent
            </th>
            <th scope="col" className="font-medium">
              Kubernetes version
            </th>
            <th scope="col" className="font-medium">
              Status
            </th>
            <th scope="col" className="font-medium">
              Last contact
            </th>
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => (
            <tr key={c.agentId} className="border-b border-zinc-100 dark:border-zinc-900">
              <th scope="row" className="py-2 font-normal">
                <Link
                  href={c.href}
                  className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
                >
                  {c.agentName}
                </Link>
                <div className="text-zinc-500">{c.projectFullPath}</div>
              </th>
              <td className="font-mono">
                {c.kubernetesVersion ?? <span className="font-sans text-zinc-500">Not reported</span>}
              </td>
              <td>
                <StatusBadge status={c.support.status} title={c.support.detail} />
              </td>
              <td>
                {c.lastContactAt ? (
                  <time dateTime={c.lastContactAt.toISOString()}>{formatDate(c.lastContactAt)}</time>
                ) : (
                  <span className="text-zinc-500">Never</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
