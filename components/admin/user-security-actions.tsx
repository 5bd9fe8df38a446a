"use client";
// An administrator's actions on one user's access: end all the user's sessions, or set a new password
// (the way back in for someone who forgot theirs when the installation cannot send e-mail).
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";

export function UserSecurityActions({ userId, username }: { userId: string; username: string }) {
  const [dialog, setDialog] = useState<"revoke" | "password" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const close = () => {
    setDialog(null);
    setPassword("");
  };
  const revoke = useMutation({
    mutationFn: () => fetchJson(`/api/users/${encodeURIComponent(userId)}/sessions`, { method: "DELETE" }),
    onSuccess: () => {
      close();
      setDone(`Signed @${username} out everywhere.`);
    },
  });
  const setNew = useMutation({
    mutationFn: (newPassword: string) =>
      fetchJson(`/api/users/${encodeURIComponent(userId)}/password`, {
        method: "POST",
        body: JSON.stringify({ newPassword }),
      }),
    onSuccess: () => {
      close();
      setDone(`Set a new password for @${username} and signed them out everywhere.`);
    },
  });
  const passwordError =
    setNew.error instanceof ApiError && setNew.error.field === "newPassword" ? setNew.error.message : undefined;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="secondary"
        className="px-2 py-1 text-xs"
        onClick={() => {
          revoke.reset();
          setDialog("revoke");
        }}
      >
        Revoke sessions
      </Button>
      <Button
        variant="secondary"
        className="px-2 py-1 text-xs"
        onClick={() => {
          setNew.reset();
          setDialog("password");
        }}
      >
        Set password
      </Button>
      {done ? (
        <span role="status" className="text-xs text-green-700 dark:text-green-400">
          {done}
        </span>
      ) : null}
      <ConfirmDialog
        open={dialog === "revoke"}
        title={`Revoke @${username}'s sessions?`}
        confirmLabel="Revoke sessions"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onConfirm={() => revoke.mutate()}
        onCancel={close}
      >
        Every browser and device signed in as @{username} is signed out at once.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "password"}
        title={`Set a new password for @${username}`}
        confirmLabel="Set password"
        pending={setNew.isPending}
        error={setNew.error && !passwordError ? setNew.error.message : undefined}
        onConfirm={() => setNew.mutate(password)}
        onCancel={close}
      >
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setNew.mutate(password);
          }}
          className="mt-3 space-y-2"
        >
          <Field
            label="New password"
            id={`set-password-${userId}`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={passwordError}
            hint="At least 8 characters. Tell it to the user by a safe channel; their sessions end now."
          />
        </form>
      </ConfirmDialog>
    </div>
  );
}
