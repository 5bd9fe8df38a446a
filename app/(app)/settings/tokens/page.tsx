import type { Metadata } from "next";
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
        description="Personal access tokens let kubectl and scripts reach the Kubernetes clusters shared with you, through Tether's agent server. Each is shown once and can be revoked."
      />
      <PersonalTokensPanel />
    </>
  );
}
