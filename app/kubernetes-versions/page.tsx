// Public: lives outside app/(app), whose layout requires a session. Signed in, it shows the app shell
// and the user's clusters; signed out, the same page with a sign-in link.
import type { Metadata } from "next";
import Link from "next/link";
import { AppShell, PageHeader } from "@/components/shell/app-shell";
import { PolicyText } from "@/components/versions/policy-text";
import { VersionMatrix } from "@/components/versions/version-matrix";
import { YourClusters } from "@/components/versions/your-clusters";
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { clustersVisibleTo } from "@/lib/versions/clusters";
import { versionMatrix } from "@/lib/versions/matrix";
import { parseAsOfDay } from "@/lib/versions/as-of";
import { supportedMinorsAt } from "@/lib/versions/rules";

export const metadata: Metadata = { title: "Kubernetes versions" };
export const dynamic = "force-dynamic";

const link =
  "font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400";

export default async function KubernetesVersionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const asOf = parseAsOfDay((await searchParams).date);
  const day = asOf.ok ? asOf.day : new Date().toISOString().slice(0, 10);
  const isToday = !asOf.ok || asOf.today;
  const supported = supportedMinorsAt(day);
  const user = await currentUser();
  const clusters = user ? await clustersVisibleTo(db(), user, supported) : [];
  return (
    <AppShell user={user}>
      <PageHeader
        title="Kubernetes versions"
        description="Which Kubernetes versions Tether supports, until when, and how each one fared in CI."
      />
      {!asOf.ok && asOf.error ? (
        <p
          role="alert"
          className="mb-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300"
        >
          {asOf.error} Showing today instead.
        </p>
      ) : null}
      <form
        method="get"
        className="mb-6 flex flex-wrap items-end gap-3 text-sm"
        aria-label="Show the table for another day"
      >
        <label className="flex flex-col gap-1">
          <span className="text-zinc-600 dark:text-zinc-400">As of</span>
          <input
            type="date"
            name="date"
            defaultValue={day}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <button
          type="submit"
          className="rounded-md border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Show
        </button>
        {!isToday ? (
          <a href="/kubernetes-versions" className={link}>
            Back to today
          </a>
        ) : null}
        <a href={isToday ? "/kubernetes-versions.json" : `/kubernetes-versions.json?date=${day}`} className={link}>
          As JSON
        </a>
      </form>
      <section aria-labelledby="matrix-heading" className="space-y-3">
        <h2 id="matrix-heading" className="text-lg font-semibold">
          Version matrix{" "}
          <span className="text-sm font-normal text-zinc-500">
            {isToday ? "today" : "as of"} (<time dateTime={day}>{day}</time>)
          </span>
        </h2>
        <VersionMatrix rows={versionMatrix(day)} />
      </section>
      <section aria-labelledby="clusters-heading" className="mt-10 space-y-3">
        <h2 id="clusters-heading" className="text-lg font-semibold">
          Your clusters
        </h2>
        {/* Every agent in the projects the user can see (lib/versions/clusters.ts), each linking to its agent page. */}
        {user ? (
          <YourClusters clusters={clusters} />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            <Link
              href="/sign-in?callbackUrl=%2Fkubernetes-versions"
              className="font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-400"
            >
              Sign in
            </Link>{" "}
            to see the Kubernetes version and support status of each cluster you can use.
          </p>
        )}
      </section>
      <section aria-labelledby="policy-heading" className="mt-10 space-y-3">
        <h2 id="policy-heading" className="text-lg font-semibold">
          Support policy
        </h2>
        <PolicyText supported={supported} day={day} />
      </section>
    </AppShell>
  );
}
