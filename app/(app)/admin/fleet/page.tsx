// The administrator's fleet: every agent, project and group of the installation and kas's health.
// Everyone else gets 404, like the other admin pages.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { FleetView } from "@/components/admin/fleet-view";
import { PageHeader } from "@/components/shell/app-shell";
import { LoadingState } from "@/components/ui/states";
import { can } from "@/lib/access";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Fleet · Admin" };

export default async function AdminFleetPage() {
  const user = await requireUser("/admin/fleet");
  if (!can.viewFleet(user)) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500">
        <Link href="/admin" className="hover:underline">
          Admin
        </Link>
      </nav>
      <PageHeader
        title="Fleet"
        description="Every agent of this installation with its connection state and versions, every project and group, and the agent server's health. Updated every few seconds."
      />
      <Suspense fallback={<LoadingState label="Loading the fleet…" />}>
        <FleetView />
      </Suspense>
    </>
  );
}
