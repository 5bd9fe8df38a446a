import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/shell/sign-in-form";
import { oidcConfigured } from "@/lib/auth/options";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm oidcName={oidcConfigured() ? (process.env.OIDC_NAME ?? "single sign-on") : null} />
    </Suspense>
  );
}
