// The signed-in user of a request that never reaches Next.js's handlers (a WebSocket upgrade that the
// web server takes itself): the session cookie decoded with next-auth's own reader, then the same checks
// as currentUser() (the user exists, is not blocked or waiting for approval, and the session was not ended).
import { getToken } from "next-auth/jwt";
import type { Db } from "@/lib/db/client";
import { sessionIsCurrent } from "./account";
import type { CurrentUser } from "./session";

/** The cookies of a Cookie header, by name (a value that is not valid percent-encoding is kept as it is). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      /* kept as sent */
    }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/**
 * The user whose browser session this Cookie header carries, with the session's version (for
 * sessionBoundSignal), or null. Only the cookie counts: a bearer header is not a browser session.
 */
export async function userFromCookie(
  db: Db,
  cookieHeader: string | undefined,
  secret: string | undefined = process.env.NEXTAUTH_SECRET,
): Promise<CurrentUser | null> {
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set: cannot read sessions");
  const token = await getToken({
    // getToken reads req.cookies (a Map works) and, without a cookie, a bearer header: none is passed.
    req: { cookies: parseCookieHeader(cookieHeader), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret,
  });
  const id = typeof token?.uid === "string" ? token.uid : null;
  if (!id) return null;
  const row = await db.user.findUnique({
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
    },
  });
  const version = typeof token?.sessionVersion === "number" ? token.sessionVersion : undefined;
  if (!row || row.blockedAt || row.pendingApproval || !sessionIsCurrent(version, row.sessionVersion)) return null;
  return { id: row.id, username: row.username, name: row.name, email: row.email, isAdmin: row.isAdmin };
}
