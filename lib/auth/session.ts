// The signed-in user for server components and route handlers.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { sessionIsCurrent } from "./account";
import { authOptions } from "./options";

export interface CurrentUser {
  id: string;
  username: string;
  name: string;
  email: string;
  isAdmin: boolean;
}

/**
 * The signed-in user, re-read from the database on every request, or null: a deleted or blocked user, and a session
 * that was ended (sign out everywhere, a password change, an administrator's revoke), lose access at once.
 */
export async function currentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const row = await db().user.findUnique({
    where: { id },
    select: {
      id: true,
      username: true,
      name: true,
      email: true,
      isAdmin: true,
      sessionVersion: true,
      blockedAt: true,
      pendingApproval: true,
      botProjectId: true,
    },
  });
  if (
    !row ||
    row.blockedAt ||
    row.botProjectId ||
    row.pendingApproval ||
    !sessionIsCurrent(session.user.sessionVersion, row.sessionVersion)
  )
    return null;
  return { id: row.id, username: row.username, name: row.name, email: row.email, isAdmin: row.isAdmin };
}

/** For pages: the signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(callbackPath: string): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}
