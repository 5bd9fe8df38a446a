// A receptive agent's URL configuration: the URL kas dials, the CA and server name it checks, and how
// it proves itself (an Ed25519 key pair Tether generates, or an uploaded mTLS client certificate and
// key). Developers read it (never a private key); maintainers change it; every change is audited.
import { createPrivateKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import { z } from "zod";
import { can, findManageableAgent, findVisibleAgent, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Invalid, NotFound, invalidFrom } from "@/lib/errors";
import {
  localReceptiveChanges,
  noteReceptiveChange,
  RECEPTIVE_RECHECK_MS,
  receptiveChangeHere,
  receptiveVersionOf,
} from "./changes";
import { decryptSecret, encryptSecret } from "./encryption";

const MANAGE = "You need the maintainer or owner role in this project to change the receptive URL configuration";
const pem = (what: string) => z.string().trim().max(20_000, `${what} is too long`);

export const receptiveUrlInputSchema = z.object({
  url: z
    .string()
    .trim()
    .regex(
      /^grpcs?:\/\/(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$/,
      "Enter the agent's URL as grpcs://host:port (or grpc://host:port, unencrypted)",
    ),
  caCert: pem("The CA certificate").optional().nullable(),
  tlsServerName: z
    .string()
    .trim()
    .max(253)
    .regex(/^[\w.-]*$/, "The TLS server name must be a host name")
    .optional()
    .nullable(),
  auth: z.discriminatedUnion("method", [
    z.object({ method: z.literal("jwt"), rotateKey: z.boolean().default(false) }),
    z.object({
      method: z.literal("mtls"),
      clientCert: pem("The client certificate"),
      clientKey: pem("The client key"),
    }),
  ]),
});
export type ReceptiveUrlInput = z.input<typeof receptiveUrlInputSchema>;

export interface ReceptiveUrlView {
  agentId: string;
  url: string;
  encrypted: boolean;
  caCert: string | null;
  tlsServerName: string | null;
  authMethod: "jwt" | "mtls";
  /** The Ed25519 public key (PEM) for the agent's Helm values (`receptive.jwtPublicKey`). */
  publicKey: string | null;
  clientCertSubject: string | null;
  state: "connecting" | "connected" | "failing";
  stateMessage: string | null;
  stateAt: string | null;
  lastConnectedAt: string | null;
  updatedAt: string;
}

type Row = NonNullable<Awaited<ReturnType<Db["receptiveUrl"]["findUnique"]>>>;

function view(row: Row): ReceptiveUrlView {
  return {
    agentId: row.agentId,
    url: row.url,
    encrypted: row.url.startsWith("grpcs://"),
    caCert: row.caCert,
    tlsServerName: row.tlsServerName,
    authMethod: row.authMethod === "mtls" ? "mtls" : "jwt",
    publicKey: row.publicKey,
    clientCertSubject: row.clientCert ? new X509Certificate(row.clientCert).subject.replace(/\n/g, ", ") : null,
    state: (["connecting", "connected", "failing"] as const).find((s) => s === row.state) ?? "connecting",
    stateMessage: row.stateMessage,
    stateAt: row.stateAt?.toISOString() ?? null,
    lastConnectedAt: row.lastConnectedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function checkCertificate(text: string, field: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch {
    throw new Invalid("Paste a PEM certificate (-----BEGIN CERTIFICATE-----)", field);
  }
}

export async function getReceptiveUrl(db: Db, actor: Actor, agentId: string): Promise<ReceptiveUrlView | null> {
  return (await receptiveUrlPage(db, actor, agentId)).receptive;
}

/** What the agent page's Receptive tab shows: the configuration (or null) and whether the actor may change it. */
export async function receptiveUrlPage(
  db: Db,
  actor: Actor,
  agentId: string,
): Promise<{ receptive: ReceptiveUrlView | null; canManage: boolean }> {
  const { facts } = await findVisibleAgent(db, actor, agentId);
  const row = await db.receptiveUrl.findUnique({ where: { agentId } });
  return { receptive: row ? view(row) : null, canManage: can.manageProjectAgents(actor, facts) };
}

/** Creates or replaces the agent's URL configuration. A generated key pair is kept unless rotateKey. */
export async function setReceptiveUrl(
  db: Db,
  actor: Actor,
  agentId: string,
  input: unknown,
): Promise<ReceptiveUrlView> {
  const parsed = receptiveUrlInputSchema.safeParse(input);
  if (!parsed.success) throw invalidFrom(parsed.error);
  const { url, auth } = parsed.data;
  const caCert = parsed.data.caCert || null;
  const tlsServerName = parsed.data.tlsServerName || null;
  await findManageableAgent(db, actor, agentId, MANAGE);
  if (caCert) checkCertificate(caCert, "caCert");
  if (url.startsWith("grpc://") && auth.method === "mtls")
    throw new Invalid("mTLS needs an encrypted URL: use grpcs://", "url");
  const existing = await db.receptiveUrl.findUnique({ where: { agentId } });
  let keyFields: {
    authMethod: string;
    publicKey: string | null;
    clientCert: string | null;
    privateKeyEncrypted: string;
  };
  let rotated = false;
  if (auth.method === "jwt") {
    if (existing?.authMethod === "jwt" && existing.publicKey && !auth.rotateKey) {
      keyFields = {
        authMethod: "jwt",
        publicKey: existing.publicKey,
        clientCert: null,
        privateKeyEncrypted: existing.privateKeyEncrypted,
      };
    } else {
      const pair = generateKeyPairSync("ed25519");
      rotated = Boolean(existing);
      keyFields = {
        authMethod: "jwt",
        publicKey: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
        clientCert: null,
        privateKeyEncrypted: encryptSecret(
          pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          agentId,
        ),
      };
    }
  } else {
    const cert = checkCertificate(auth.clientCert, "auth.clientCert");
    let key;
    try {
      key = createPrivateKey(auth.clientKey);
    } catch {
      throw new Invalid("Paste the client certificate's private key in PEM", "auth.clientKey");
    }
    if (!cert.checkPrivateKey(key))
      throw new Invalid("The private key does not belong to the client certificate", "auth.clientKey");
    keyFields = {
      authMethod: "mtls",
      publicKey: null,
      clientCert: auth.clientCert,
      privateKeyEncrypted: encryptSecret(key.export({ type: "pkcs8", format: "pem" }).toString(), agentId),
    };
  }
  const data = { url, caCert, tlsServerName, ...keyFields, state: "connecting", stateMessage: null, stateAt: null };
  const row = await db.$transaction(async (tx) => {
    const saved = await tx.receptiveUrl.upsert({ where: { agentId }, create: { agentId, ...data }, update: data });
    await recordAudit(tx, {
      actorId: actor.id,
      action: existing ? "receptive_url.updated" : "receptive_url.created",
      targetType: "agent",
      targetId: agentId,
      details: { url, authMethod: keyFields.authMethod, keyRotated: rotated, caCert: Boolean(caCert), tlsServerName },
    });
    return saved;
  });
  noteReceptiveChange();
  return view(row);
}

/** Turns the agent back into an ordinary one: kas stops dialling it. */
export async function deleteReceptiveUrl(db: Db, actor: Actor, agentId: string): Promise<void> {
  await findManageableAgent(db, actor, agentId, MANAGE);
  await db.$transaction(async (tx) => {
    const row = await tx.receptiveUrl.findUnique({ where: { agentId } });
    if (!row) throw new NotFound("Receptive URL configuration");
    await tx.receptiveUrl.delete({ where: { agentId } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "receptive_url.deleted",
      targetType: "agent",
      targetId: agentId,
      details: { url: row.url },
    });
  });
  noteReceptiveChange();
}

export interface ReceptiveTargetForKas {
  agentId: string;
  url: string;
  caCert: string | null;
  tlsServerName: string | null;
  auth: { method: "jwt"; privateKeyPem: string } | { method: "mtls"; clientCertPem: string; clientKeyPem: string };
}

/** Every receptive agent with its private half decrypted, for kas only (over the internal API). */
export async function receptiveTargetsForKas(db: Db): Promise<ReceptiveTargetForKas[]> {
  return targets(await db.receptiveUrl.findMany({ orderBy: { agentId: "asc" } }));
}

/**
 * kas's long poll: the configurations and their version as soon as the version differs from `since`, else
 * when `waitMs` runs out. Waits for a change saved in this process, and re-reads every `recheckMs` for one
 * saved by another web replica (changes.ts).
 */
export async function receptiveAgentsForKas(
  db: Db,
  since: string,
  waitMs: number,
  recheckMs = RECEPTIVE_RECHECK_MS,
): Promise<{ version: string; agents: ReceptiveTargetForKas[] }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const seen = localReceptiveChanges();
    const rows = await db.receptiveUrl.findMany({ orderBy: { agentId: "asc" } });
    const version = receptiveVersionOf(rows);
    const left = deadline - Date.now();
    if (version !== since || left <= 0) return { version, agents: targets(rows) };
    await receptiveChangeHere(seen, Math.min(left, recheckMs));
  }
}

function targets(rows: Row[]): ReceptiveTargetForKas[] {
  return rows.map((r) => {
    const secret = decryptSecret(r.privateKeyEncrypted, r.agentId);
    return {
      agentId: r.agentId,
      url: r.url,
      caCert: r.caCert,
      tlsServerName: r.tlsServerName,
      auth:
        r.authMethod === "mtls"
          ? { method: "mtls" as const, clientCertPem: r.clientCert ?? "", clientKeyPem: secret }
          : { method: "jwt" as const, privateKeyPem: secret },
    };
  });
}

/** kas's report on its connection to a receptive agent. */
export async function recordReceptiveState(
  db: Db,
  agentId: string,
  state: "connecting" | "connected" | "failing",
  message: string | null,
): Promise<void> {
  const now = new Date();
  await db.receptiveUrl.updateMany({
    where: { agentId },
    data: {
      state,
      stateMessage: message,
      stateAt: now,
      ...(state === "connected" ? { lastConnectedAt: now } : {}),
    },
  });
}
