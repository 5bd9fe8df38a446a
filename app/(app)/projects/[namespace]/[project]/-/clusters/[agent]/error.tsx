"use client";
// A tab that failed on the server: the agent's header and tabs stay, with a retry.
import { RouteError } from "@/components/ui/route-error";

export default function AgentTabError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError title="Could not show this tab" error={error} retry={retry} />;
}
