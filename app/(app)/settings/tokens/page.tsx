import type { Metadata } from "next";
import Link from "next/link";
import { PersonalTokensPanel } from "@/components/settings/personal-tokens-panel";
import { PageHeader } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Access tokens" };

export default async function AccessTokensPage() {
  await requireUser("/settings/tokens");
  return (
    <>
      <PageHeader
        title="Access tokens"
        description="Personal access tokens let scripts use Tether's REST API as you (scopes api and read_api) and kubectl reach the Kubernetes clusters shared with you (scope k8s_proxy). Each is shown once and can be revoked; creating one needs this signed-in page, never a token."
      />
      <p className="-mt-3 mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        What a token can call, with curl examples:{" "}
        <Link href="/help/api" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          the REST API reference
        </Link>
        .
      </p>
      <PersonalTokensPanel />
    </>
  );
}
