"use client";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

type Fields = "name" | "username" | "email" | "password";

export function SignUpForm({ minPassword, firstAccount }: { minPassword: number; firstAccount: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<{ message: string; field?: Fields } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = Object.fromEntries(
      (["name", "username", "email", "password"] as const).map((k) => [k, String(form.get(k) ?? "")]),
    );
    setPending(true);
    setError(null);
    try {
      await fetchJson("/api/users", { method: "POST", body: JSON.stringify(body) });
      const res = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      if (!res || res.error) throw new Error("Your account was created, but signing in failed. Sign in below.");
      router.replace("/projects");
      router.refresh();
    } catch (err) {
      const field = err instanceof ApiError ? (err.field as Fields | undefined) : undefined;
      setError({ message: (err as Error).message, field });
      setPending(false);
    }
  }

  const fieldError = (f: Fields) => (error?.field === f ? error.message : undefined);
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create your account</h1>
      <p className="mb-6 text-sm text-zinc-500">
        {firstAccount
          ? "This installation has no account yet: the first one becomes its administrator."
          : "Create an account on this installation."}
      </p>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {error && !error.field ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
          >
            {error.message}
          </p>
        ) : null}
        {error?.field ? (
          <p role="alert" className="sr-only">
            {error.message}
          </p>
        ) : null}
        <Field label="Name" id="name" name="name" autoComplete="name" required autoFocus error={fieldError("name")} />
        <Field
          label="Username"
          id="username"
          name="username"
          autoComplete="username"
          required
          error={fieldError("username")}
          hint="Letters, digits, '_', '.' and '-'."
        />
        <Field
          label="E-mail"
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={fieldError("email")}
        />
        <Field
          label="Password"
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          error={fieldError("password")}
          hint={`At least ${minPassword} characters.`}
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-zinc-500">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </p>
    </>
  );
}
