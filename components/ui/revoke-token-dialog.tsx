"use client";
// The confirmation before a token is revoked, the same for agent, personal and project access tokens (their
// state and request: components/tokens/use-token-revocation): what stops working is the caller's sentence;
// the mutation's error shows in the dialog.
import type { ReactNode } from "react";
import { Button } from "./button";
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

/** The Revoke button of an active token's row; inactive tokens get none. */
export function RevokeTokenButton<T extends { name: string; status: string }>({
  token,
  onRevoke,
}: {
  token: T;
  onRevoke: (token: T) => void;
}) {
  if (token.status !== "active") return null;
  return (
    <Button type="button" variant="secondary" aria-label={`Revoke token ${token.name}`} onClick={() => onRevoke(token)}>
      Revoke
    </Button>
  );
}
