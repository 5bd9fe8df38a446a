"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ReactQueryDevtools } from "@tanstack/react-query-devtools";
import { ThemeProvider } from "next-themes";
import { createContext, useContext, useState, type ReactNode } from "react";

const NonceContext = createContext<string | undefined>(undefined);

/** This request's CSP nonce, for client code that must add a <style> element (CodeMirror's editor). */
export function useCspNonce(): string | undefined {
  return useContext(NonceContext);
}

/**
 * `nonce`: this request's CSP nonce, for the theme's inline script that runs before the page paints.
 * No next-auth SessionProvider: nothing reads the session on the client (pages get the user on the server;
 * `signIn`/`signOut` need no provider), and the provider asked `/api/auth/session` on every page load and
 * whenever the tab became visible again.
 */
export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            // A 401 means the session is gone: do not retry, the page sends the user to sign in.
            retry: (count, error) =>
              !(error instanceof ApiError && (error.status === 401 || error.status === 403)) && count < 2,
          },
        },
      }),
  );
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      <QueryClientProvider client={client}>
        <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>
        {process.env.NODE_ENV === "development" ? <ReactQueryDevtools initialIsOpen={false} /> : null}
      </QueryClientProvider>
    </ThemeProvider>
  );
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    /** Every field the server found wrong, when it names them all (sign-up does). */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

/** fetch + JSON with the server's `{ error }` message surfaced as an ApiError. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: {
      accept: "application/json",
      ...(init?.body ? { "content-type": "application/json" } : {}),
      ...init?.headers,
    },
  });
  const data = (await res.json().catch(() => ({}))) as {
    error?: string;
    field?: string;
    fields?: Record<string, string>;
  };
  if (!res.ok) throw new ApiError(res.status, data.error ?? `Request failed (${res.status})`, data.field, data.fields);
  return data as T;
}
