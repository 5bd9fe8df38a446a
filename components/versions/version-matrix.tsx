import type { MatrixRow } from "@/lib/versions/matrix";
import type { SmokeResult } from "@/lib/versions/results";
import { MinorStateBadge } from "./version-badge";

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

/** The version matrix: one row per Kubernetes minor, its state under the policy's rules on the day shown. */
export function VersionMatrix({ rows }: { rows: MatrixRow[] }) {
  if (rows.length === 0)
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No Kubernetes release is known for this day.</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">
          Kubernetes versions: state under the support policy, first release, smoke-test result, end of support and
          matching Helm versions
        </caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            {["Kubernetes version", "State", "Released", "CI smoke test", "Support", "Helm"].map((h) => (
              <th key={h} scope="col" className="px-4 py-2 font-medium whitespace-nowrap">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
          {rows.map((r) => (
            <tr key={r.minor} data-testid={`version-${r.minor}`} data-state={r.state}>
              <th scope="row" className="px-4 py-2 font-mono font-semibold whitespace-nowrap">
                {r.minor}
                {r.prerelease ? <div className="text-xs font-normal text-zinc-500">{r.prerelease}</div> : null}
              </th>
              <td className="px-4 py-2">
                <MinorStateBadge state={r.state} />
              </td>
              <td className="px-4 py-2 whitespace-nowrap">
                {r.firstRelease ? (
                  <time dateTime={r.firstRelease}>{r.firstRelease}</time>
                ) : (
                  <span className="text-zinc-500">Not yet</span>
                )}
              </td>
              <td className="px-4 py-2">
                <SmokeCell smoke={r.smoke} />
              </td>
              <td className="px-4 py-2 min-w-64">{r.condition}</td>
              <td className="px-4 py-2 font-mono text-xs whitespace-nowrap">
                {r.helm.length ? r.helm.join(", ") : <span className="font-sans text-zinc-500">None listed</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
