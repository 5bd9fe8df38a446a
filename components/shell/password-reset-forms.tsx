"use client";
// Forgotten passwords, when the installation can send e-mail: ask for a link (the answer is the same for
// every address), then, from the link, choose a new password (which signs the account out everywhere).
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useJsonForm } from "@/components/ui/use-json-form";

const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

function Done({ children }: { children: string }) {
  return (
    <p
      role="status"
      className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 dark:bg-green-950 dark:text-green-300"
    >
      {children}
    </p>
  );
}

export function ForgotPasswordForm() {
  const [sent, setSent] = useState<string | null>(null);
  const { pending, formError, fieldError, onSubmit } = useJsonForm<{ message: string }>("/api/password-reset", (data) =>
    setSent(data.message),
  );
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Forgot your password?</h1>
      <p className="mb-6 text-sm text-zinc-500">We send a link to set a new one to your account&apos;s e-mail.</p>
      {sent ? (
        <Done>{sent}</Done>
      ) : (
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <FormError message={formError} />
          <Field
            label="E-mail"
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            autoFocus
            error={fieldError("email")}
          />
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? "Sending…" : "Send me a link"}
          </Button>
        </form>
      )}
      <p className="mt-6 text-center text-sm">
        <Link href="/sign-in" className={linkClass}>
          Back to sign in
        </Link>
      </p>
    </>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const { pending, formError, fieldError, onSubmit } = useJsonForm<{ ok: true }>("/api/password-reset/confirm", () =>
    setDone(true),
  );
  const linkProblem = fieldError("token");
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Choose a new password</h1>
      <p className="mb-6 text-sm text-zinc-500">Setting it signs your account out of every browser and device.</p>
      {done ? (
        <>
          <Done>Your new password is set. Every session of your account has ended: sign in with the new password.</Done>
          <p className="mt-6 text-center text-sm">
            <Link href="/sign-in" className={linkClass}>
              Sign in
            </Link>
          </p>
        </>
      ) : (
        <>
          <form onSubmit={onSubmit} className="space-y-4" noValidate>
            <FormError message={formError ?? linkProblem} />
            <input type="hidden" name="token" value={token} />
            <Field
              label="New password"
              id="new-password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              autoFocus
              error={fieldError("newPassword")}
              hint="At least 8 characters."
            />
            <Button type="submit" className="w-full" disabled={pending}>
              {pending ? "Setting…" : "Set new password"}
            </Button>
          </form>
          {linkProblem ? (
            <p className="mt-6 text-center text-sm">
              <Link href="/forgot-password" className={linkClass}>
                Ask for a new link
              </Link>
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
