import type { MatrixRow } from "@/lib/versions/matrix";
import type { SmokeResult } from "@/lib/versions/results";
import { StatusBadge } from "./version-badge";

function SmokeCell({ smoke }: { smoke: SmokeResult | null }) {
  if (!smoke) return <span className="text-zinc-500 dark:text-zinc-400">Not tested yet</span>;
  const passed = smoke.result === "pass";
  return (
    <span>
      <span
        className={
          passed ? "font-medium text-green-700 dark:text-green-400" : "font-medium text-red-700 dark:text-red-400"
        }
      >
        <span aria-hidden>{passed ? "✓ " : "✕ "}</span>
        {passed ? "Passed" : "Failed"}
      </span>{" "}
      on <span className="font-mono">{smoke.kubernetesVersion}</span>,{" "}
      <time dateTime={smoke.date}>{new Date(smoke.date).toISOString().slice(0, 10)}</time>{" "}
      <span className="text-zinc-500">
        (commit <code>{smoke.commit.slice(0, 9)}</code>)
      </span>
    </span>
  );
}

/** The version matrix: one row per Kubernetes minor, with support status and the CI smoke-test result. */
export function VersionMatrix({ rows }: { rows: MatrixRow[] }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Kubernetes versions, their support status and smoke-test results</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Kubernetes version
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              End of support
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              CI smoke test
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
          {rows.map((r) => (
            <tr key={r.minor} data-testid={`version-${r.minor}`}>
              <th scope="row" className="px-4 py-2 font-mono font-semibold">
                {r.minor}
              </th>
              <td className="px-4 py-2">
                <StatusBadge status={r.status} />
              </td>
              <td className="px-4 py-2">{r.condition}</td>
              <td className="px-4 py-2">
                <SmokeCell smoke={r.smoke} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
