import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/shell/password-reset-forms";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

// Opened from the link in a password reset e-mail: /reset-password?token=… (checked when the form is sent).
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  if (!token)
    return (
      <>
        <h1 className="mb-3 text-xl font-semibold">Choose a new password</h1>
        <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
          This page opens from the link in a password reset e-mail, and this address has no link&apos;s token in it.
        </p>
        <p className="mt-6 text-center text-sm">
          <Link href="/forgot-password" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Ask for a link
          </Link>
        </p>
      </>
    );
  return <ResetPasswordForm token={token} />;
}
