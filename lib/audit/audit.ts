// The audit log: who did what to which object. Details must never contain a secret.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "@/lib/db/client";

/** The API token a request acts with (its id and name, never its value). */
export interface AuditCredential {
  tokenId: string;
  tokenName: string;
}

const credential = new AsyncLocalStorage<AuditCredential>();

/**
 * Runs `fn` so that every audit row it records names the API token the request came with: the domain
 * functions take the actor only, and the token is a fact of the request, not of the rule.
 */
export function withAuditCredential<T>(c: AuditCredential, fn: () => T): T {
  return credential.run(c, fn);
}

export interface AuditInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, string | number | boolean | null>;
  ip?: string;
}

type AuditWriter = { auditEvent: { create(args: { data: Prisma.AuditEventUncheckedCreateInput }): Promise<unknown> } };

export async function recordAudit(db: AuditWriter, e: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      details: JSON.stringify({ ...e.details, ...viaToken() }),
      ip: e.ip ?? null,
    },
  });
}

function viaToken(): Record<string, string> {
  const c = credential.getStore();
  return c ? { viaToken: c.tokenName, viaTokenId: c.tokenId } : {};
}
