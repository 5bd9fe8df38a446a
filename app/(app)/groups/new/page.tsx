import type { Metadata } from "next";
import { NewGroupForm } from "@/components/groups/new-group-form";
import { PageHeader } from "@/components/shell/app-shell";

export const metadata: Metadata = { title: "New group" };

export default function NewGroupPage() {
  return (
    <>
      <PageHeader title="New group" description="You become the group's owner and can add members afterwards." />
      <NewGroupForm />
    </>
  );
}
