import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { signedInUser } from "./signed-in-user";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await signedInUser();
  return <AppShell user={user}>{children}</AppShell>;
}
