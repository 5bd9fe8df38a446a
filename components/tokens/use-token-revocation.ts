"use client";
// Revoking a token after a confirmation: which token the dialog asks about, and the request itself.
// The panel shows RevokeTokenButton in each row (with `ask`) and RevokeTokenDialog (with the rest).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

export function useTokenRevocation<T extends { id: string; name: string }, R>(
  revokeToken: (id: string) => Promise<R>,
  onRevoked: (answer: R) => void,
) {
  const [token, setToken] = useState<T | null>(null);
  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: (answer) => {
      setToken(null);
      onRevoked(answer);
    },
  });
  return {
    /** The token the dialog asks about, or null while it is closed. */
    token,
    revoke,
    ask: (t: T) => {
      revoke.reset();
      setToken(t);
    },
    cancel: () => setToken(null),
  };
}
