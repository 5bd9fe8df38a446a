"use client";
// One member's row actions: owners change the role or remove the member; any member may leave. The
// server refuses to leave the group without an owner, and that reason is shown beside the row.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { RoleOptions } from "@/components/ui/role-options";

function memberUrl(groupPath: string, username: string) {
  return `/api/groups/${encodeURIComponent(groupPath)}/members/${encodeURIComponent(username)}`;
}

export function MemberRoleSelect({
  groupPath,
  username,
  role,
  roles,
}: {
  groupPath: string;
  username: string;
  role: string;
  roles: string[];
}) {
  const router = useRouter();
  const change = useMutation({
    mutationFn: (next: string) =>
      fetchJson(memberUrl(groupPath, username), { method: "PATCH", body: JSON.stringify({ role: next }) }),
    onSettled: () => router.refresh(),
  });
  return (
    <div className="space-y-1">
      <select
        aria-label={`Role of @${username}`}
        defaultValue={role}
        key={role}
        disabled={change.isPending}
        onChange={(e) => change.mutate(e.target.value)}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <RoleOptions roles={roles} />
      </select>
      <FormError message={change.error?.message} />
    </div>
  );
}

/** Remove a member (owners) or leave (`self`), after a confirmation. */
export function RemoveMemberButton({
  groupPath,
  username,
  self,
}: {
  groupPath: string;
  username: string;
  self: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => fetchJson(memberUrl(groupPath, username), { method: "DELETE" }),
    onSuccess: () => {
      setOpen(false);
      if (self) router.push("/projects");
      router.refresh();
    },
  });
  const label = self ? "Leave group" : `Remove @${username}`;
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <ConfirmDialog
        open={open}
        title={self ? `Leave ${groupPath}?` : `Remove @${username} from ${groupPath}?`}
        confirmLabel={self ? "Leave group" : "Remove member"}
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate()}
        onCancel={() => setOpen(false)}
      >
        <p>
          {self ? "You" : `@${username}`} will lose access to the group&apos;s projects and their agents at once,
          including the Kubernetes API through them.
        </p>
      </ConfirmDialog>
    </>
  );
}
