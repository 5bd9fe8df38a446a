"use client";
// Submitting a form as JSON with TanStack Query: pending state, and the server's error shown beside the
// field it names (or above the form).
import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";

export function useJsonForm<T>(
  url: string,
  onSuccess: (data: T, body: Record<string, string>) => void,
  method: "POST" | "PATCH" = "POST",
) {
  const mutation = useMutation({
    mutationFn: (body: Record<string, string>) => fetchJson<T>(url, { method, body: JSON.stringify(body) }),
    onSuccess,
  });
  const error = mutation.error;
  const field = error instanceof ApiError ? error.field : undefined;
  return {
    pending: mutation.isPending,
    succeeded: mutation.isSuccess,
    formError: error && !field ? error.message : undefined,
    fieldError: (name: string) => (error && field === name ? error.message : undefined),
    onSubmit(e: FormEvent<HTMLFormElement>) {
      e.preventDefault();
      const body: Record<string, string> = {};
      new FormData(e.currentTarget).forEach((v, k) => (body[k] = String(v)));
      mutation.mutate(body);
    },
  };
}
