// Personal access tokens (a user's credential for kubectl and the REST API) and CI job tokens (short-lived, bound to one
// project's pipeline run). Both are shown once and stored as SHA-256 only.
import { z } from "zod";
import { can, findProjectFor, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { NotFound, invalidFrom } from "@/lib/errors";
import { API_TOKEN_SCOPES, CI_JOB_TOKEN_PREFIX, PERSONAL_TOKEN_PREFIX, hashToken, newToken } from "./tokens";

/** api: the REST API, read and write; read_api: its GET and HEAD only; k8s_proxy: kubectl through kas only. */
export const PAT_SCOPES = API_TOKEN_SCOPES;

export const createPatSchema = z.object({
  name: z.string().trim().min(1, "Enter a token name").max(100, "Token name is too long (at most 100 characters)"),
  scopes: z
    .array(z.enum(PAT_SCOPES, { error: `Scopes must be among: ${PAT_SCOPES.join(", ")}` }))
    .min(1, "Choose at least one scope")
    .transform((scopes) => [...new Set(scopes)])
    .default(["k8s_proxy"]),
  expiresInDays: z
    .number()
    .int()
    .min(1, "A token must live at least one day")
    .max(365, "A token can live at most 365 days")
    .default(30),
});

export async function createPersonalAccessToken(
  db: Db,
  actor: Actor,
  input: unknown,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const parsed = createPatSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const token = newToken(PERSONAL_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + parsed.data.expiresInDays * 86_400_000);
  const row = await db.$transaction(async (tx) => {
    const r = await tx.personalAccessToken.create({
      data: {
        userId: actor.id,
        name: parsed.data.name,
        scopes: parsed.data.scopes.join(" "),
        tokenHash: hashToken(token),
        expiresAt,
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "personal_token.created",
      targetType: "user",
      targetId: actor.id,
      details: { tokenId: r.id, name: r.name, scopes: parsed.data.scopes.join(" ") },
    });
    return r;
  });
  return { id: row.id, token, expiresAt };
}

export async function revokePersonalAccessToken(db: Db, actor: Actor, tokenId: string): Promise<void> {
  const row = await db.personalAccessToken.findUnique({ where: { id: tokenId } });
  if (!row || row.userId !== actor.id) throw new NotFound("Token");
  if (row.revokedAt) return;
  await db.$transaction(async (tx) => {
    await tx.personalAccessToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "personal_token.revoked",
      targetType: "user",
      targetId: actor.id,
      details: { tokenId, name: row.name },
    });
  });
}

export async function listPersonalAccessTokens(db: Db, actor: Actor) {
  return db.personalAccessToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export const createCiJobTokenSchema = z.object({
  jobName: z.string().trim().min(1, "Name the job").max(200, "Job name is too long (at most 200 characters)"),
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60, "A CI job token lives at most 24 hours")
    .default(60),
});

/** Mints a job token for a pipeline run of the project (what a CI system does when a job starts). */
export async function createCiJobToken(
  db: Db,
  actor: Actor,
  projectId: string,
  input: unknown,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const parsed = createCiJobTokenSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  await findProjectFor(
    db,
    actor,
    { id: projectId },
    can.runPipelines,
    "You need at least the developer role in this project to run its pipelines",
  );
  const token = newToken(CI_JOB_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + parsed.data.ttlMinutes * 60_000);
  const row = await db.ciJobToken.create({
    data: { projectId, jobName: parsed.data.jobName, tokenHash: hashToken(token), createdById: actor.id, expiresAt },
  });
  return { id: row.id, token, expiresAt };
}
