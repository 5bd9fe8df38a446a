import type { Metadata } from "next";
import { SignUpForm } from "@/components/shell/sign-up-form";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/users";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Create account" };
// Whether an account exists yet is read on every visit.
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  const firstAccount = (await db().user.count()) === 0;
  return <SignUpForm minPassword={MIN_PASSWORD_LENGTH} firstAccount={firstAccount} />;
}
