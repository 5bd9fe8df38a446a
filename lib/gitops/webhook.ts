// A project's repository webhook: its URL, and a secret shown once when created or rotated. Maintainers
// create, rotate and delete it (audited); anyone who sees the project sees whether it exists and the
// copy-paste instructions. The secret is sealed at rest (lib/receptive's AES-256-GCM key, the webhook's
// id as additional data), since an HMAC check needs the secret itself.
import { randomBytes } from "node:crypto";
import { can, findProjectFor, findVisibleProject, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { publicUrls } from "@/lib/public-urls";
import { decryptSecret, encryptSecret } from "@/lib/receptive";

const MANAGE_REASON = "You need the maintainer role in this project to manage its repository webhook";

export const WEBHOOK_SECRET_PREFIX = "tthr_whsec_";

export interface RepositoryWebhookView {
  projectId: string;
  exists: boolean;
  /** Where the forge posts pushes (this installation's public URL). */
  url: string | null;
  createdAt: string | null;
  rotatedAt: string | null;
  lastDeliveryAt: string | null;
  canManage: boolean;
  /** Web's public URL is loopback: a forge elsewhere cannot reach it. */
  loopback: boolean;
}

/** The secret, once: the answer to a create or rotate. */
export interface RepositoryWebhookSecret {
  url: string;
  secret: string;
}

export function webhookUrl(id: string, env: Record<string, string | undefined> = process.env): string {
  return `${publicUrls(env).web.url.replace(/\/+$/, "")}/api/webhooks/git/${id}`;
}

export async function repositoryWebhookView(
  db: Db,
  actor: Actor,
  projectId: string,
  env: Record<string, string | undefined> = process.env,
): Promise<RepositoryWebhookView> {
  const { facts } = await findVisibleProject(db, actor, { id: projectId });
  const row = await db.repositoryWebhook.findUnique({ where: { projectId } });
  return {
    projectId,
    exists: row !== null,
    url: row ? webhookUrl(row.id, env) : null,
    createdAt: row?.createdAt.toISOString() ?? null,
    rotatedAt: row?.rotatedAt?.toISOString() ?? null,
    lastDeliveryAt: row?.lastDeliveryAt?.toISOString() ?? null,
    canManage: can.manageProjectAgents(actor, facts),
    loopback: publicUrls(env).web.loopback,
  };
}

/** Creates the project's webhook, or gives the existing one a new secret (the old one stops working at once). */
export async function createOrRotateRepositoryWebhook(
  db: Db,
  actor: Actor,
  projectId: string,
  env: Record<string, string | undefined> = process.env,
): Promise<RepositoryWebhookSecret> {
  await findProjectFor(db, actor, { id: projectId }, can.manageProjectAgents, MANAGE_REASON);
  const secret = WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64url");
  const id = await db.$transaction(async (tx) => {
    const existing = await tx.repositoryWebhook.findUnique({ where: { projectId } });
    // The id is the URL's secret-free part and the sealing's additional data, so it is chosen here.
    const webhookId = existing?.id ?? randomBytes(16).toString("hex");
    const secretEncrypted = encryptSecret(secret, webhookId);
    if (existing)
      await tx.repositoryWebhook.update({ where: { id: webhookId }, data: { secretEncrypted, rotatedAt: new Date() } });
    else
      await tx.repositoryWebhook.create({ data: { id: webhookId, projectId, secretEncrypted, createdById: actor.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: existing ? "repository_webhook.rotated" : "repository_webhook.created",
      targetType: "project",
      targetId: projectId,
      details: { webhookId },
    });
    return webhookId;
  });
  return { url: webhookUrl(id, env), secret };
}

export async function deleteRepositoryWebhook(db: Db, actor: Actor, projectId: string): Promise<void> {
  await findProjectFor(db, actor, { id: projectId }, can.manageProjectAgents, MANAGE_REASON);
  const row = await db.repositoryWebhook.findUnique({ where: { projectId } });
  if (!row) throw new NotFound("Repository webhook");
  await db.$transaction(async (tx) => {
    await tx.repositoryWebhook.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "repository_webhook.deleted",
      targetType: "project",
      targetId: projectId,
      details: { webhookId: row.id },
    });
  });
}

/** The webhook a delivery names, with its secret unsealed; null when there is none. */
export async function webhookForDelivery(
  db: Db,
  id: string,
): Promise<{ id: string; projectId: string; secret: string } | null> {
  if (!/^[a-z0-9]{10,40}$/.test(id)) return null;
  const row = await db.repositoryWebhook.findUnique({ where: { id } });
  if (!row) return null;
  return { id: row.id, projectId: row.projectId, secret: decryptSecret(row.secretEncrypted, row.id) };
}
