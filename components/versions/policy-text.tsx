import { POLICY, SUPPORTED_MINORS, endOfSupportText } from "@/lib/versions/policy";

/** The support policy in words, generated from the same data as the matrix. */
export function PolicyText() {
  const newest = SUPPORTED_MINORS[0];
  const oldest = SUPPORTED_MINORS[SUPPORTED_MINORS.length - 1];
  return (
    <div className="max-w-3xl space-y-3 text-sm leading-6 text-zinc-700 dark:text-zinc-300">
      <p>Tether supports these Kubernetes minor versions:</p>
      <ul className="list-disc space-y-1 pl-6">
        {SUPPORTED_MINORS.map((m) => (
          <li key={m.minor}>
            <span className="font-mono font-semibold">{m.minor}</span> (
            {endOfSupportText(m).replace(/^Support/, "support")})
          </li>
        ))}
      </ul>
      <ul className="list-disc space-y-1 pl-6">
        <li>
          A new minor version of Kubernetes is supported within {POLICY.newMinorSupportedWithinMonths} months of its
          first release.
        </li>
        <li>At any time, at least {POLICY.minimumSupportedMinors} production-ready minor versions are supported.</li>
        <li>
          Smoke-test results for a new Kubernetes release are published on this page within about{" "}
          {POLICY.smokeResultsWithinWeeks} weeks. When support for it is late, the Tether version expected to bring it
          is published here within about {POLICY.lateSupportNoticeWithinWeeks} weeks.
        </li>
        <li>
          The oldest supported minor
          {oldest ? (
            <>
              {" "}
              (now <span className="font-mono">{oldest.minor}</span>)
            </>
          ) : null}{" "}
          is marked <em>support ending</em>: it is the next to leave when a newer minor
          {newest ? (
            <>
              {" "}
              than <span className="font-mono">{newest.minor}</span>
            </>
          ) : null}{" "}
          becomes supported. Plan the upgrade.
        </li>
        <li>
          Install the agent with a Helm version compatible with your cluster&apos;s Kubernetes version; see{" "}
          <a
            href={POLICY.helmVersionSkewUrl}
            className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
          >
            Helm&apos;s version skew policy
          </a>
          .
        </li>
      </ul>
    </div>
  );
}
