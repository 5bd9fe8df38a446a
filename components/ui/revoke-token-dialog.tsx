"use client";
// The confirmation before a token is revoked, the same for agent tokens and personal access tokens:
// what stops working is the caller's sentence; the mutation's error shows in the dialog.
import type { ReactNode } from "react";
import { ConfirmDialog } from "./confirm-dialog";

export function RevokeTokenDialog<T extends { id: string; name: string }>({
  token,
  revoke,
  onCancel,
  children,
}: {
  token: T | null;
  revoke: { isPending: boolean; error: Error | null; mutate: (id: string) => void };
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      open={token !== null}
      title={`Revoke token "${token?.name ?? ""}"?`}
      confirmLabel="Revoke token"
      pending={revoke.isPending}
      error={revoke.error?.message}
      onConfirm={() => token && revoke.mutate(token.id)}
      onCancel={onCancel}
    >
      {children}
    </ConfirmDialog>
  );
}
