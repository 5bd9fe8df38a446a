"use client";
// A query that answered 401 means the session ended: send the user to sign in, and back afterwards.
import { signIn } from "next-auth/react";
import { useEffect } from "react";
import { ApiError } from "@/components/providers";

/** `callbackUrl` is where sign-in returns to; without it, the page the user is on. */
export function useSignInWhenExpired(error: unknown, callbackUrl?: string): void {
  const expired = error instanceof ApiError && error.status === 401;
  useEffect(() => {
    if (expired) void signIn(undefined, { callbackUrl: callbackUrl ?? window.location.pathname });
  }, [expired, callbackUrl]);
}
