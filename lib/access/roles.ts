// Group roles, after GitLab: each role can do everything the roles below it can.
import { z } from "zod";

export const ROLES = ["reporter", "developer", "maintainer", "owner"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}` });

export function atLeast(role: Role | null | undefined, minimum: Role): boolean {
  return role != null && ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export function parseRole(raw: string): Role | null {
  const r = roleSchema.safeParse(raw);
  return r.success ? r.data : null;
}
