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
import { agentForToken, agentInfoSchema, recordAgentContact } from "./service";

export function sharedSecretFile(): string {
  return process.env.TETHER_KAS_SHARED_SECRET_FILE ?? path.join(process.cwd(), "data", "secrets", "kas-shared-secret");
}

const failedLookups = new RateLimiterMemory({ points: 30, duration: 60 });

const verifyBody = z.object({ token: z.string().max(200) });
const contactBody = z.object({ agentId: z.string().min(1).max(100), info: agentInfoSchema });
const configBody = z.object({ agentId: z.string().min(1).max(100) });

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
        return Response.json({ yaml: "", version: 0 });
      }
      default:
        return errorResponse(404, `no internal API action "${action}"`);
    }
  } catch (e) {
    if (!(e instanceof Error) || !("status" in e)) logger.error({ action, err: (e as Error).message }, "internal API call failed");
    return toResponse(e);
  }
}
