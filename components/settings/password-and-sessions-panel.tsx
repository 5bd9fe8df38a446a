"use client";
// The signed-in user's password and sessions: change the password (the current one required; every
// other browser is signed out and this one signs in again with the new password), and sign out everywhere.
import { useMutation } from "@tanstack/react-query";
import { signIn, signOut } from "next-auth/react";
import { useRef, useState } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useJsonForm } from "@/components/ui/use-json-form";

function ChangePassword({ email }: { email: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [done, setDone] = useState<string | null>(null);
  const { pending, formError, fieldError, onSubmit } = useJsonForm<{ ok: true }>(
    "/api/user/password",
    async (_data, body) => {
      // The change ended every session, this one too: sign this browser in again with the new password.
      const res = await signIn("credentials", { email, password: body.newPassword, redirect: false });
      form.current?.reset();
      setDone(
        res?.ok
          ? "Password changed. Every other browser and device has been signed out."
          : "Password changed. Sign in again with the new password.",
      );
    },
  );
  return (
    <section aria-labelledby="change-password" className="mb-10 max-w-lg">
      <h2 id="change-password" className="mb-1 text-lg font-semibold">
        Change password
      </h2>
      <p className="mb-4 text-sm text-zinc-500">Changing it signs you out everywhere else.</p>
      <form
        ref={form}
        onSubmit={(e) => {
          setDone(null);
          onSubmit(e);
        }}
        noValidate
        className="space-y-4"
      >
        <FormError message={formError} />
        {done ? (
          <p
            role="status"
            className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 dark:bg-green-950 dark:text-green-300"
          >
            {done}
          </p>
        ) : null}
        <Field
          label="Current password"
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={fieldError("currentPassword")}
        />
        <Field
          label="New password"
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          error={fieldError("newPassword")}
          hint="At least 8 characters."
        />
        <Button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </form>
    </section>
  );
}

function SignOutEverywhere() {
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: () => fetchJson<{ ok: true }>("/api/user/sessions", { method: "DELETE" }),
    onSuccess: () => void signOut({ callbackUrl: "/sign-in" }),
  });
  return (
    <section aria-labelledby="sessions" className="max-w-lg">
      <h2 id="sessions" className="mb-1 text-lg font-semibold">
        Sessions
      </h2>
      <p className="mb-4 text-sm text-zinc-500">
        Signed in on a computer you no longer use? End every session, this one included.
      </p>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Sign out everywhere
      </Button>
      <ConfirmDialog
        open={open}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onConfirm={() => revoke.mutate()}
        onCancel={() => setOpen(false)}
      >
        Every browser and device signed in as you is signed out at once, this one too. Personal access tokens keep
        working; revoke them under Access tokens.
      </ConfirmDialog>
    </section>
  );
}

export function PasswordAndSessionsPanel({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  return (
    <>
      {hasPassword ? (
        <ChangePassword email={email} />
      ) : (
        <p className="mb-10 max-w-lg text-sm text-zinc-600 dark:text-zinc-400">
          You sign in with single sign-on, so there is no password to change here.
        </p>
      )}
      <SignOutEverywhere />
    </>
  );
}
