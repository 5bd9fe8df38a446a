"use client";
// What a route's error.tsx shows: the failure and a retry that asks the server again. A server error
// reaches the browser as a generic message and a digest, the key to its entry in the server's log.
import { ErrorState } from "./states";

export function RouteError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  const message = digest
    ? `The server could not show it (error ${digest} in its log). Try again in a moment.`
    : error instanceof Error
      ? error.message
      : "Something failed in the page. Try again.";
  return <ErrorState title={title} message={message} onRetry={retry} />;
}
