import { POLICY, endOfSupportText, type SupportedMinor } from "@/lib/versions/policy";

const link =
  "font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400";

/** The support policy in words: its rules, and the minors they make supported on the day shown. */
export function PolicyText({ supported, day }: { supported: readonly SupportedMinor[]; day: string }) {
  const oldest = supported[supported.length - 1];
  return (
    <div className="max-w-3xl space-y-3 text-sm leading-6 text-zinc-700 dark:text-zinc-300">
      <p>
        On <time dateTime={day}>{day}</time> Tether supports these Kubernetes minor versions:
      </p>
      <ul className="list-disc space-y-1 pl-6" data-testid="supported-minors">
        {supported.map((m) => (
          <li key={m.minor}>
            <span className="font-mono font-semibold">{m.minor}</span> (
            {endOfSupportText(m).replace(/^Support/, "support")})
          </li>
        ))}
      </ul>
      <p>The table above is computed from these rules, the Kubernetes release calendar and the smoke-test results:</p>
      <ul className="list-disc space-y-1 pl-6">
        <li>
          A new minor version of Kubernetes is supported once the smoke suite passes on a release of it, within{" "}
          {POLICY.newMinorSupportedWithinMonths} months of its first release. Without that, it is marked <em>late</em>,
          and the Tether release expected to bring support is published here within about{" "}
          {POLICY.lateSupportNoticeWithinWeeks} weeks.
        </li>
        <li>
          Smoke-test results for a new Kubernetes release are published on this page within about{" "}
          {POLICY.smokeResultsWithinWeeks} weeks. A beta or release candidate that passed them is a <em>preview</em>:
          try it, but not in production.
        </li>
        <li>
          An old minor&apos;s support ends with a given Tether release (the first one at least{" "}
          {POLICY.newMinorSupportedWithinMonths} months after the minor three newer is released), or when the minor
          three newer becomes supported, whichever comes first. Tether releases monthly, on the third Thursday.
        </li>
        <li>
          At any time, at least {POLICY.minimumSupportedMinors} production-ready minor versions are supported: a minor
          past its end release stays supported until a newer one takes its place.
        </li>
        <li>
          The oldest supported minor
          {oldest ? (
            <>
              {" "}
              (here <span className="font-mono">{oldest.minor}</span>)
            </>
          ) : null}{" "}
          is marked <em>support ending</em>: it is the next to leave. Plan the upgrade.
        </li>
        <li>
          Install the agent with a Helm version compatible with your cluster&apos;s Kubernetes version (the Helm column
          above); see{" "}
          <a href={POLICY.helmVersionSkewUrl} className={link}>
            Helm&apos;s version skew policy
          </a>
          .
        </li>
      </ul>
    </div>
  );
}
