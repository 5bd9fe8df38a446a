import type { Metadata } from "next";
import { ApiReference } from "@/components/help/api-reference";
import { PageHeader } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "REST API" };

export default async function ApiHelpPage() {
  await requireUser("/help/api");
  return (
    <>
      <PageHeader
        title="REST API"
        description="Every operation of Tether's REST API, generated from the checks the server itself runs on each request."
      />
      <ApiReference />
    </>
  );
}
