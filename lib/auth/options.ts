// next-auth configuration: e-mail + password (argon2) always; an OIDC provider when
// OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. Sessions are signed JWTs.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { recordAudit } from "@/lib/audit/audit";
import { clientAddress, signInWithPassword } from "./sign-in";
import { ACCOUNT_BLOCKED, ACCOUNT_PENDING, lockedErrorCode, SIGN_IN_BUSY, SIGN_UP_REFUSED } from "./sign-in-errors";
import { decideSignUp } from "./sign-up-policy";
import { signInThrottle } from "./sign-in-throttle";

const credentials = z.object({ email: z.string().max(254), password: z.string().max(256) });

export function oidcConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
}

function providers(): NextAuthOptions["providers"] {
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const address = clientAddress(req?.headers);
        const result = await signInWithPassword(db(), signInThrottle(db()), { ...parsed.data, address });
        if (result.ok) {
          await recordAudit(db(), {
            actorId: result.user.id,
            action: "user.sign_in",
            targetType: "user",
            targetId: result.user.id,
            ip: address,
          });
          return { id: result.user.id, email: result.user.email, name: result.user.name };
        }
        // next-auth hands a thrown error's message to the form as its error code.
        if (result.reason === "locked") throw new Error(lockedErrorCode(result.retryAt));
        if (result.reason === "busy") throw new Error(SIGN_IN_BUSY);
        if (result.reason === "blocked") throw new Error(ACCOUNT_BLOCKED);
        if (result.reason === "pending") throw new Error(ACCOUNT_PENDING);
        return null;
      },
    }),
  ];
  if (oidcConfigured()) {
    list.push({
      id: "oidc",
      name: process.env.OIDC_NAME ?? "Single sign-on",
      type: "oauth",
      wellKnown: `${process.env.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: process.env.OIDC_CLIENT_ID,
      clientSecret: process.env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(p: { sub: string; email?: string; name?: string; preferred_username?: string }) {
        return { id: p.sub, email: p.email ?? null, name: p.name ?? p.preferred_username ?? p.email ?? p.sub };
      },
    });
  }
  return list;
}

export const authOptions: NextAuthOptions = {
  providers: providers(),
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  // Errors (a failed single sign-on) land on our sign-in page too: next-auth's own error page is an API
  // route, whose CSP lets no style load.
  pages: { signIn: "/sign-in", error: "/sign-in" },
  logger: {
    error: (code, metadata) =>
      logger.error({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "next-auth error"),
    warn: (code) => logger.warn({ code }, "next-auth warning"),
    debug: () => {},
  },
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      // OIDC: link to the local account with the same verified e-mail, or create one.
      if (!user.email) return "/sign-in?error=OidcNoEmail";
      const email = user.email.toLowerCase();
      const existing = await db().user.findUnique({ where: { email } });
      // A project access token's bot never signs in (its address is under .invalid; this is the second lock).
      if (existing?.botProjectId) return false;
      if (existing?.blockedAt) return `/sign-in?error=${ACCOUNT_BLOCKED}`;
      if (existing?.pendingApproval) return `/sign-in?error=${ACCOUNT_PENDING}`;
      if (existing) await db().user.update({ where: { id: existing.id }, data: { lastSignInAt: new Date() } });
      if (!existing) {
        const base = email
          .split("@")[0]!
          .toLowerCase()
          .replace(/[^a-z0-9_.-]/g, "-");
        const taken = await db().user.findUnique({ where: { username: base } });
        const isAdmin = (await db().user.count()) === 0;
        // A new account by single sign-on follows the sign-up policy like a form sign-up (without an invite).
        const decision = isAdmin ? null : await decideSignUp(db(), email, undefined);
        if (decision && !decision.allowed) return `/sign-in?error=${SIGN_UP_REFUSED}`;
        const pendingApproval = decision?.pendingApproval ?? false;
        await db().user.create({
          data: {
            email,
            name: user.name ?? base,
            username: taken ? `${base}-${Date.now().toString(36)}` : base,
            isAdmin,
            pendingApproval,
            lastSignInAt: pendingApproval ? null : new Date(),
          },
        });
        if (pendingApproval) return `/sign-in?error=${ACCOUNT_PENDING}`;
      }
      return true;
    },
    async jwt({ token, user }) {
      if (user?.email) {
        const row = await db().user.findUnique({ where: { email: user.email.toLowerCase() } });
        if (row) {
          token.uid = row.id;
          token.username = row.username;
          token.isAdmin = row.isAdmin;
          token.sessionVersion = row.sessionVersion;
        }
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === "string") {
        session.user.id = token.uid;
        session.user.username = typeof token.username === "string" ? token.username : "";
        session.user.isAdmin = token.isAdmin === true;
        session.user.sessionVersion = typeof token.sessionVersion === "number" ? token.sessionVersion : 0;
      }
      return session;
    },
  },
};
