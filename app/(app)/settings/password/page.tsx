import type { Metadata } from "next";
import { PasswordAndSessionsPanel } from "@/components/settings/password-and-sessions-panel";
import { PageHeader } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Password and sessions" };

export default async function PasswordAndSessionsPage() {
  const user = await requireUser("/settings/password");
  const row = await db().user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  return (
    <>
      <PageHeader
        title="Password and sessions"
        description="Change your password, or sign out of every browser and device at once."
      />
      <PasswordAndSessionsPanel email={user.email} hasPassword={Boolean(row?.passwordHash)} />
    </>
  );
}
