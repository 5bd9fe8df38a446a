"use client";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";

/** Only same-site paths are followed after sign-in. */
function safeCallback(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/projects";
}

export function SignInForm({ oidcName }: { oidcName: string | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const callbackUrl = safeCallback(params.get("callbackUrl"));
  const [error, setError] = useState<string | null>(
    params.get("error") ? signInErrorMessage(params.get("error")) : null,
  );
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", {
      email: String(form.get("email")),
      password: String(form.get("password")),
      redirect: false,
    });
    setPending(false);
    if (!res || res.error) {
      setError(signInErrorMessage(res?.error ?? "CredentialsSignin"));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Sign in to Tether</h1>
      <p className="mb-6 text-sm text-zinc-500">Your clusters, through their agents.</p>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {error ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
          >
            {error}
          </p>
        ) : null}
        <Field label="E-mail" id="email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field
          label="Password"
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <p className="-mt-2 text-right text-sm">
          <Link href="/forgot-password" className="text-indigo-600 hover:underline dark:text-indigo-400">
            Forgot password?
          </Link>
        </p>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oidcName ? (
        <Button variant="secondary" className="mt-3 w-full" onClick={() => void signIn("oidc", { callbackUrl })}>
          Sign in with {oidcName}
        </Button>
      ) : null}
      <p className="mt-6 text-center text-sm text-zinc-500">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Create an account
        </Link>
      </p>
    </>
  );
}
