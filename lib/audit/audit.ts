// The audit log: who did what to which object. Details must never contain a secret.
import type { Prisma } from "@/lib/db/client";

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
      details: JSON.stringify(e.details ?? {}),
      ip: e.ip ?? null,
    },
  });
}
