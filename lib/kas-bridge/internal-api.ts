// web's internal API for kas: whose token is this, record what an agent reported, the agent's
// configuration. Every call must carry a fresh JWT signed with the shared secret (lib/common/internal-jwt).
// Failed token lookups are rate-limited per caller address, so a stolen kas secret cannot be used to
// brute-force agent tokens quickly.
import path from "node:path";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { z } from "zod";
import { InternalAuthError, readSharedSecret, verifyInternalJwt } from "@/lib/common/internal-jwt";
import type { Db } from "@/lib/db/client";
import { errorResponse, readJsonBody } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";
import { logger } from "@/lib/log/logger";
import { AGENT_TOKEN_PREFIX, looksLikeToken } from "@/lib/tokens/tokens";
import { currentAgentConfig } from "@/lib/agent-config";
import { agentForToken, agentInfoSchema, recordAgentContact } from "@/lib/agents";
import { authorizeProxy, parseProxyCredential } from "@/lib/kubectl-access";

export function sharedSecretFile(): string {
  return process.env.TETHER_KAS_SHARED_SECRET_FILE ?? path.join(process.cwd(), "data", "secrets", "kas-shared-secret");
}

const failedLookups = new RateLimiterMemory({ points: 30, duration: 60 });

const verifyBody = z.object({ token: z.string().max(200) });
const contactBody = z.object({ agentId: z.string().min(1).max(100), info: agentInfoSchema });
const configBody = z.object({ agentId: z.string().min(1).max(100) });
const authorizeBody = z.object({ credential: z.string().max(400) });
const auditBody = z.object({
  agentId: z.string().min(1).max(100),
  actor: z.object({ type: z.enum(["user", "ci_job"]), id: z.string().max(100), name: z.string().max(300) }),
  method: z.string().max(10),
  path: z.string().max(2000),
  status: z.number().int(),
});

/** "/apis/apps/v1/namespaces/ci/deployments/web" → resource "deployments", namespace "ci", name "web". */
export function describeApiPath(p: string): { resource: string; namespace: string | null; name: string | null } {
  const parts = p.split("?")[0]!.split("/").filter(Boolean);
  const rest = parts[0] === "api" ? parts.slice(2) : parts.slice(3);
  let namespace: string | null = null;
  if (rest[0] === "namespaces" && rest.length > 2) {
    namespace = rest[1]!;
    rest.splice(0, 2);
  }
  // A subresource is named with its resource, as RBAC names it: pods/exec, deployments/scale.
  return { resource: rest[2] ? `${rest[0]}/${rest[2]}` : (rest[0] ?? ""), namespace, name: rest[1] ?? null };
}

/** Requests the audit log keeps: writes, refusals, and sessions on a pod (exec, attach, port-forward), which kubectl may open with a GET. */
export function isAuditedProxyRequest(method: string, path: string, status: number): boolean {
  if (status >= 400 || ["POST", "PUT", "PATCH", "DELETE"].includes(method)) return true;
  return /^pods\/(exec|attach|portforward)$/.test(describeApiPath(path).resource);
}

export type InternalAction = "verify-agent-token" | "agent-contact" | "agent-configuration";

export async function handleKasInternal(db: Db, action: string, req: Request, secret: string = readSharedSecret(sharedSecretFile())): Promise<Response> {
  try {
    const jwt = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
    if (!jwt) return errorResponse(401, "missing internal API token");
    try {
      await verifyInternalJwt(secret, jwt, "tether-kas", "tether-web");
    } catch (e) {
      if (e instanceof InternalAuthError) return errorResponse(401, e.message);
      throw e;
    }
    const body = await readJsonBody(req, 16 * 1024);
    switch (action) {
      case "verify-agent-token": {
        const caller = req.headers.get("x-forwarded-for") ?? "kas";
        const parsed = verifyBody.safeParse(body);
        const found = parsed.success && looksLikeToken(parsed.data.token, AGENT_TOKEN_PREFIX) ? await agentForToken(db, parsed.data.token) : null;
        if (!found) {
          try {
            await failedLookups.consume(caller);
          } catch {
            return errorResponse(429, "too many failed agent token lookups; slow down");
          }
          return errorResponse(401, "unknown or revoked agent token");
        }
        return Response.json({ agentId: found.agentId, agentName: found.agentName, projectPath: found.projectPath });
      }
      case "agent-contact": {
        const parsed = contactBody.safeParse(body);
        if (!parsed.success) return errorResponse(400, parsed.error.issues[0]?.message ?? "invalid contact report");
        await recordAgentContact(db, parsed.data.agentId, parsed.data.info);
        return Response.json({ ok: true });
      }
      case "agent-configuration": {
        const parsed = configBody.safeParse(body);
        if (!parsed.success) return errorResponse(400, "invalid configuration request");
        const agent = await db.agent.findUnique({ where: { id: parsed.data.agentId }, select: { id: true } });
        if (!agent) return errorResponse(404, "agent not found");
        const cfg = await currentAgentConfig(db, agent.id);
        return Response.json({ yaml: cfg.yaml, version: cfg.version });
      }
      case "authorize-proxy": {
        const parsed = authorizeBody.safeParse(body);
        const cred = parsed.success ? parseProxyCredential(parsed.data.credential) : null;
        if (!cred) {
          return errorResponse(401, "malformed credential: use a bearer token of the form pat:<agent-id>:<token> or ci:<agent-id>:<token>");
        }
        const decision = await authorizeProxy(db, cred);
        if (!decision.allowed) {
          if (decision.status === 401) {
            try {
              await failedLookups.consume(req.headers.get("x-forwarded-for") ?? "kas");
            } catch {
              return errorResponse(429, "too many failed token lookups; slow down");
            }
          }
          return errorResponse(decision.status, decision.reason);
        }
        return Response.json(decision);
      }
      case "proxy-audit": {
        const parsed = auditBody.safeParse(body);
        if (!parsed.success) return errorResponse(400, "invalid audit record");
        const a = parsed.data;
        if (!isAuditedProxyRequest(a.method, a.path, a.status)) return Response.json({ ok: true });
        const what = describeApiPath(a.path);
        await db.auditEvent.create({
          data: {
            actorId: a.actor.type === "user" ? a.actor.id : null,
            action: "k8s_proxy.request",
            targetType: "agent",
            targetId: a.agentId,
            details: JSON.stringify({ actor: a.actor.name, actorType: a.actor.type, verb: a.method, resource: what.resource, namespace: what.namespace, name: what.name, status: a.status, outcome: a.status < 400 ? "allowed" : "refused" }),
          },
        });
        return Response.json({ ok: true });
      }
      default:
        return errorResponse(404, `no internal API action "${action}"`);
    }
  } catch (e) {
    if (!(e instanceof Error) || !("status" in e)) logger.error({ action, err: (e as Error).message }, "internal API call failed");
    return toResponse(e);
  }
}
