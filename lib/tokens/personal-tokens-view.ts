// What the Access tokens page shows: the user's personal access tokens, never their values, with a
// status computed on the server (active, expired, revoked). Dates are ISO strings (JSON-safe).
import type { Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { PAT_SCOPES, listPersonalAccessTokens } from "./access-tokens";

export interface PersonalTokenRow {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
}

export interface PersonalTokensView {
  /** Server time, so the browser can say "expires in 3 days" against the right clock. */
  now: string;
  scopes: readonly string[];
  tokens: PersonalTokenRow[];
}

export async function personalTokensView(db: Db, actor: Actor, now = Date.now()): Promise<PersonalTokensView> {
  const rows = await listPersonalAccessTokens(db, actor);
  return {
    now: new Date(now).toISOString(),
    scopes: PAT_SCOPES,
    tokens: rows.map((t) => ({
      id: t.id,
      name: t.name,
      scopes: t.scopes.split(" ").filter(Boolean),
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      status: t.revokedAt ? "revoked" : t.expiresAt.getTime() <= now ? "expired" : "active",
    })),
  };
}
