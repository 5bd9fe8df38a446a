import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/shell/password-reset-forms";
import { smtpConfigured } from "@/lib/auth/account";

export const metadata: Metadata = { title: "Forgot password" };
export const dynamic = "force-dynamic";

export default function ForgotPasswordPage() {
  if (smtpConfigured()) return <ForgotPasswordForm />;
  return (
    <>
      <h1 className="mb-3 text-xl font-semibold">Forgot your password?</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This installation cannot send e-mail (no SMTP server is configured), so it cannot send you a reset link. Ask an
        administrator of this installation to set a new password for you (Admin → Users → Set password); then sign in
        with it and change it under Password and sessions.
      </p>
      <p className="mt-6 text-center text-sm">
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
