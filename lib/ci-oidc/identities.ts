// Trusted CI identities of a project: which OIDC issuer, audience and claim conditions let a CI job's ID
// token in. Maintainers manage them; every change is audited. Presets fill in GitHub Actions and GitLab CI.
import { z } from "zod";
import { can, findProjectFor, findVisibleProject, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Conflict, NotFound, invalidFrom } from "@/lib/errors";

const MANAGE_REASON = "You need the maintainer role in this project to manage its trusted CI identities";

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;

export const ciIdentityInputSchema = z.object({
  name: z.string().trim().min(1, "Name the identity").max(100, "Name is too long (at most 100 characters)"),
  issuer: z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === "https:" && !u.search && !u.hash && !u.username && !u.password;
      } catch {
        return false;
      }
    }, "The issuer must be an https:// URL without query or credentials, e.g. https://token.actions.githubusercontent.com"),
  audience: z.string().trim().min(1, "Enter the audience the ID token is issued for").max(300, "Audience is too long"),
  conditions: z
    .record(
      z.string().regex(CLAIM_NAME, "A claim name is letters, digits, _ . : - (e.g. repository, ref_protected)"),
      z.string().trim().min(1, "Give every condition a value").max(300, "A condition value is too long"),
    )
    .refine((c) => Object.keys(c).length >= 1, {
      message:
        "Add at least one claim condition (e.g. repository or project_path), or any job of the issuer would get in",
    })
    .refine((c) => Object.keys(c).length <= 10, { message: "At most 10 conditions" }),
});
export type CiIdentityInput = z.infer<typeof ciIdentityInputSchema>;

export interface CiIdentityView {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  conditions: Record<string, string>;
  createdAt: string;
}

const conditionsSchema = z.record(z.string(), z.string());

export function parseConditions(text: string): Record<string, string> {
  const parsed = conditionsSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
}

type Row = { id: string; name: string; issuer: string; audience: string; conditions: string; createdAt: Date };

export function identityView(r: Row): CiIdentityView {
  return {
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    audience: r.audience,
    conditions: parseConditions(r.conditions),
    createdAt: r.createdAt.toISOString(),
  };
}

/** The project's trusted CI identities (anyone who sees the project may read them; they hold no secret). */
export async function listCiIdentities(db: Db, actor: Actor, projectId: string): Promise<CiIdentityView[]> {
  await findVisibleProject(db, actor, { id: projectId });
  const rows = await db.ciTrustedIdentity.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
  return rows.map(identityView);
}

export async function createCiIdentity(
  db: Db,
  actor: Actor,
  projectId: string,
  input: unknown,
): Promise<CiIdentityView> {
  const parsed = ciIdentityInputSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  await findProjectFor(db, actor, { id: projectId }, can.manageProjectAgents, MANAGE_REASON);
  const { name, issuer, audience, conditions } = parsed.data;
  const taken = await db.ciTrustedIdentity.findUnique({ where: { projectId_name: { projectId, name } } });
  if (taken) throw new Conflict(`This project already trusts a CI identity named "${name}"`, "name");
  const row = await db.$transaction(async (tx) => {
    const r = await tx.ciTrustedIdentity.create({
      data: { projectId, name, issuer, audience, conditions: JSON.stringify(conditions), createdById: actor.id },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "ci_identity.created",
      targetType: "project",
      targetId: projectId,
      details: { identityId: r.id, name, issuer, audience, conditions: JSON.stringify(conditions) },
    });
    return r;
  });
  return identityView(row);
}

export async function deleteCiIdentity(db: Db, actor: Actor, projectId: string, identityId: string): Promise<void> {
  await findProjectFor(db, actor, { id: projectId }, can.manageProjectAgents, MANAGE_REASON);
  const row = await db.ciTrustedIdentity.findUnique({ where: { id: identityId } });
  if (!row || row.projectId !== projectId) throw new NotFound("Trusted CI identity");
  await db.$transaction(async (tx) => {
    await tx.ciTrustedIdentity.delete({ where: { id: identityId } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "ci_identity.deleted",
      targetType: "project",
      targetId: projectId,
      details: { identityId, name: row.name, issuer: row.issuer },
    });
  });
}
