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
        description="Personal access tokens let scripts use Tether's REST API as you (scopes api and read_api) and kubectl reach the Kubernetes clusters shared with you (scope k8s_proxy). Each is shown once and can be revoked; creating one needs this signed-in page, never a token."
      />
      <PersonalTokensPanel />
    </>
  );
}
