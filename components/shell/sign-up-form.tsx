"use client";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { SignUpMode } from "@/lib/auth/sign-up-policy";
import { signUpFieldErrors, signUpSchema } from "@/lib/auth/sign-up-schema";

const FIELDS = ["name", "username", "email", "password"] as const;
type Fields = (typeof FIELDS)[number];

/** What is wrong: each field's problem (all at once), and a problem of the form as a whole. */
interface Problems {
  form?: string;
  fields: Partial<Record<Fields, string>>;
}

/** The field problems among `all` (a zod or server answer), the rest as a problem of the form. */
function toProblems(all: Record<string, string>): Problems {
  const fields: Partial<Record<Fields, string>> = {};
  const other: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    if ((FIELDS as readonly string[]).includes(k)) fields[k as Fields] = v;
    else other.push(v);
  }
  return { fields, ...(other.length ? { form: other.join(" ") } : {}) };
}

function policyNote(mode: SignUpMode, domains: string[]): string | null {
  if (mode === "domains") return `Sign-up is open to e-mail addresses at ${domains.join(", ")}.`;
  if (mode === "approval") return "An administrator approves each new account before it can sign in.";
  if (mode === "closed") return "Sign-up is closed on this installation. Ask an administrator for an invite link.";
  return null;
}

export function SignUpForm({
  minPassword,
  firstAccount,
  invite,
  inviteProblem,
  mode,
  domains,
}: {
  minPassword: number;
  firstAccount: boolean;
  invite?: string;
  /** Why the invite link in the address is refused (revoked, expired, used, mistyped); checked by the page. */
  inviteProblem?: string | null;
  mode: SignUpMode;
  domains: string[];
}) {
  const router = useRouter();
  const [problems, setProblems] = useState<Problems | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const show = (p: Problems) => {
    setProblems(p);
    // Focus goes to the first field at fault, so the keyboard starts where the fixing does.
    const first = FIELDS.find((f) => p.fields[f]);
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLInputElement>(`#${first}`)?.focus());
  };
  const [pending, setPending] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const note = firstAccount
    ? null
    : invite
      ? "You were invited: this link creates one account."
      : policyNote(mode, domains);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body: Record<string, string> = Object.fromEntries(
      (["name", "username", "email", "password"] as const).map((k) => [k, String(form.get(k) ?? "")]),
    );
    if (invite) body.invite = invite;
    // Every problem the schema finds is shown at once, before anything is sent; the server checks again.
    const checked = signUpSchema.safeParse(body);
    if (!checked.success) {
      show(toProblems(signUpFieldErrors(checked.error)));
      return;
    }
    setPending(true);
    setProblems(null);
    try {
      const created = await fetchJson<{ user: { pendingApproval: boolean } }>("/api/users", {
        method: "POST",
        body: JSON.stringify(body),
      });
      if (created.user.pendingApproval) {
        setWaiting(true);
        return;
      }
      const res = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      if (!res || res.error) throw new Error("Your account was created, but signing in failed. Sign in below.");
      router.replace("/projects");
      router.refresh();
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof ApiError && err.fields) show(toProblems(err.fields));
      else if (err instanceof ApiError && err.field) show(toProblems({ [err.field]: message }));
      else show({ form: message, fields: {} });
      setPending(false);
    }
  }

  const fieldError = (f: Fields) => problems?.fields[f];
  const fieldProblems = FIELDS.flatMap((f) => (problems?.fields[f] ? [problems.fields[f]] : []));
  if (waiting)
    return (
      <>
        <h1 className="mb-1 text-xl font-semibold">Account created</h1>
        <p role="status" className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
          Your account waits for an administrator&apos;s approval. You can sign in once it is approved.
        </p>
        <Link href="/sign-in" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </>
    );
  if (invite && inviteProblem && !firstAccount)
    return (
      <>
        <h1 className="mb-1 text-xl font-semibold">This invite link cannot be used</h1>
        <p
          role="alert"
          data-testid="invite-problem"
          className="mb-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
        >
          {inviteProblem}
        </p>
        <Link href="/sign-in" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </>
    );
  const closed = !firstAccount && !invite && mode === "closed";
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Create your account</h1>
      <p className="mb-6 text-sm text-zinc-500">
        {firstAccount
          ? "This installation has no account yet: the first one becomes its administrator."
          : "Create an account on this installation."}
      </p>
      {note ? (
        <p
          data-testid="sign-up-policy"
          className="mb-6 rounded-md bg-zinc-100 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
        >
          {note}
        </p>
      ) : null}
      <form ref={formRef} onSubmit={submit} className="space-y-4" noValidate>
        {problems?.form ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
          >
            {problems.form}
          </p>
        ) : null}
        {fieldProblems.length ? (
          <p role="alert" className="sr-only" data-testid="sign-up-problems">
            {fieldProblems.length === 1 ? "1 problem: " : `${fieldProblems.length} problems: `}
            {fieldProblems.join(". ")}
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
        <Button type="submit" className="w-full" disabled={pending || closed}>
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
