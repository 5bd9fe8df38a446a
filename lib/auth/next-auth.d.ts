import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string; username: string; isAdmin: boolean; sessionVersion: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    username?: string;
    isAdmin?: boolean;
    /** The user's session version when this cookie was issued (lib/auth/account.ts). */
    sessionVersion?: number;
  }
}
