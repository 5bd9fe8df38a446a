"use client";
import { RouteError } from "@/components/ui/route-error";

export default function ApiHelpError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError title="Could not show the API reference" error={error} retry={retry} />;
}
