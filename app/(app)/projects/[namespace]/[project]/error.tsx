"use client";
// A project page (or an agent's header) that failed on the server, shown inside the app's shell with a retry.
import { RouteError } from "@/components/ui/route-error";

export default function ProjectPageError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError title="Could not show this page" error={error} retry={retry} />;
}
