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

export const metadata: Metadata = { title: "Kubernetes versions" };
export const dynamic = "force-dynamic";

export default async function KubernetesVersionsPage() {
  const user = await currentUser();
  const clusters = user ? await clustersVisibleTo(db(), user) : [];
  return (
    <AppShell user={user}>
      <PageHeader
        title="Kubernetes versions"
        description="Which Kubernetes versions Tether supports, until when, and how each one fared in CI."
      />
      <section aria-labelledby="matrix-heading" className="space-y-3">
        <h2 id="matrix-heading" className="text-lg font-semibold">
          Version matrix
        </h2>
        <VersionMatrix rows={versionMatrix()} />
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
        <PolicyText />
      </section>
    </AppShell>
  );
}
