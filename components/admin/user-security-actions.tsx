"use client";
// An administrator's actions on one user's access: block or unblock, grant or remove the administrator
// role, end all the user's sessions, or set a new password (the way back in for someone who forgot theirs
// when the installation cannot send e-mail).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";

type Change = { blocked: boolean } | { isAdmin: boolean } | { approved: true };

export function UserSecurityActions({
  userId,
  username,
  isAdmin,
  blocked,
  pendingApproval,
  isSelf,
}: {
  userId: string;
  username: string;
  isAdmin: boolean;
  blocked: boolean;
  pendingApproval: boolean;
  isSelf: boolean;
}) {
  const router = useRouter();
  const [dialog, setDialog] = useState<"revoke" | "password" | "block" | "admin" | null>(null);
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
  const change = useMutation({
    mutationFn: (body: Change) =>
      fetchJson(`/api/users/${encodeURIComponent(userId)}`, { method: "PATCH", body: JSON.stringify(body) }),
    onSuccess: (_data, body) => {
      close();
      setDone(
        "approved" in body
          ? `Approved @${username}: they can sign in now.`
          : "blocked" in body
            ? body.blocked
              ? `Blocked @${username}: their sessions, tokens and kubectl access have stopped.`
              : `Unblocked @${username}: they can sign in again.`
            : body.isAdmin
              ? `@${username} is now an administrator.`
              : `@${username} is no longer an administrator.`,
      );
      router.refresh();
    },
  });
  const open = (d: "revoke" | "password" | "block" | "admin") => {
    revoke.reset();
    setNew.reset();
    change.reset();
    setDialog(d);
  };
  const passwordError =
    setNew.error instanceof ApiError && setNew.error.field === "newPassword" ? setNew.error.message : undefined;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {pendingApproval ? (
        <Button
          className="px-2 py-1 text-xs"
          onClick={() => change.mutate({ approved: true })}
          disabled={change.isPending}
        >
          Approve
        </Button>
      ) : null}
      <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => open("revoke")}>
        Revoke sessions
      </Button>
      <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => open("password")}>
        Set password
      </Button>
      {isSelf ? null : (
        <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => open("block")}>
          {blocked ? "Unblock" : "Block"}
        </Button>
      )}
      <Button variant="secondary" className="px-2 py-1 text-xs" onClick={() => open("admin")}>
        {isAdmin ? "Remove admin" : "Make admin"}
      </Button>
      {change.error && dialog === null ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {change.error.message}
        </span>
      ) : null}
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
        open={dialog === "block"}
        title={blocked ? `Unblock @${username}?` : `Block @${username}?`}
        confirmLabel={blocked ? "Unblock" : "Block"}
        pending={change.isPending}
        error={change.error?.message}
        onConfirm={() => change.mutate({ blocked: !blocked })}
        onCancel={close}
      >
        {blocked
          ? `@${username} can sign in again, and their personal access tokens work again unless they were revoked.`
          : `@${username} is signed out everywhere at once and cannot sign in; their personal access tokens, kubectl access and open live views stop.`}
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "admin"}
        title={isAdmin ? `Remove @${username}'s administrator role?` : `Make @${username} an administrator?`}
        confirmLabel={isAdmin ? "Remove admin" : "Make admin"}
        pending={change.isPending}
        error={change.error?.message}
        onConfirm={() => change.mutate({ isAdmin: !isAdmin })}
        onCancel={close}
      >
        {isAdmin
          ? `@${username} keeps their own projects and memberships but no longer sees or manages everything.`
          : `@${username} will see and manage every group, project, agent and user of this installation.`}
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
