import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { SignInForm } from "@/components/shell/sign-in-form";
import { oidcConfigured } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  // Someone already signed in has nothing to do here (an old bookmark, the back button).
  if (await currentUser()) redirect("/projects");
  return (
    <Suspense>
      <SignInForm oidcName={oidcConfigured() ? (process.env.OIDC_NAME ?? "single sign-on") : null} />
    </Suspense>
  );
}
