import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser((await headers()).get("x-tether-path") ?? "/projects");
  return <AppShell user={user}>{children}</AppShell>;
}
