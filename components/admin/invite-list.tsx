"use client";
// The administrator's invite links: who made each, when, when it expires and what became of it (open,
// used, revoked, expired). The link itself is never shown again (only its hash is kept). An open one can
// be revoked after a confirmation; its link is refused on the sign-up page from then on.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatUtc } from "@/components/agents/format";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { InviteRow } from "@/lib/auth/sign-up-policy";

const STATE_TEXT: Record<InviteRow["state"], string> = {
  open: "Open",
  used: "Used",
  revoked: "Revoked",
  expired: "Expired",
};

function closedText(row: InviteRow): string {
  if (row.state === "used") return `Used ${row.closedAt ? formatUtc(row.closedAt) : ""} by ${row.closedBy ?? "?"}`;
  if (row.state === "revoked")
    return `Revoked ${row.closedAt ? formatUtc(row.closedAt) : ""} by ${row.closedBy ?? "?"}`;
  return STATE_TEXT[row.state];
}

export function InviteList({ invites }: { invites: InviteRow[] }) {
  const router = useRouter();
  const [target, setTarget] = useState<InviteRow | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/admin/invites/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => {
      setDone(`The invite link made ${target ? formatUtc(target.createdAt) : ""} is revoked.`);
      setTarget(null);
      router.refresh();
    },
  });
  if (invites.length === 0)
    return <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">No invite link has been made yet.</p>;
  return (
    <div className="mt-3">
      {done ? (
        <p role="status" className="mb-2 text-sm text-green-700 dark:text-green-400">
          {done}
        </p>
      ) : null}
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label="Invite links">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2 pr-3 font-medium">Made</th>
              <th className="py-2 pr-3 font-medium">By</th>
              <th className="py-2 pr-3 font-medium">Expires</th>
              <th className="py-2 pr-3 font-medium">Status</th>
              <th className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.map((row) => (
              <tr key={row.id} data-testid="invite-row" className="border-t border-zinc-200 dark:border-zinc-800">
                <td className="py-2 pr-3 whitespace-nowrap">{formatUtc(row.createdAt)}</td>
                <td className="py-2 pr-3">{row.createdBy ?? "a deleted user"}</td>
                <td className="py-2 pr-3 whitespace-nowrap">{formatUtc(row.expiresAt)}</td>
                <td className="py-2 pr-3">{closedText(row)}</td>
                <td className="py-2 text-right">
                  {row.state === "open" ? (
                    <Button
                      type="button"
                      variant="secondary"
                      onClick={() => {
                        setDone(null);
                        revoke.reset();
                        setTarget(row);
                      }}
                      aria-label={`Revoke the invite link made ${formatUtc(row.createdAt)}`}
                    >
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={target !== null}
        title="Revoke this invite link?"
        confirmLabel="Revoke link"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onConfirm={() => target && revoke.mutate(target.id)}
        onCancel={() => setTarget(null)}
      >
        Whoever holds the link made {target ? formatUtc(target.createdAt) : ""} can no longer create an account with it.
      </ConfirmDialog>
    </div>
  );
}
