// web's internal API for kas: one handler per call of the kas ↔ web contract (lib/common/kas-web-contract),
// each given a request already validated with the call's schema and answering in the call's response type.
// Every call must carry a fresh JWT signed with the shared secret (lib/common/internal-jwt). Failed token
// lookups are rate-limited per caller address, so a stolen kas secret cannot be used to brute-force agent
// tokens quickly.
import path from "node:path";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { currentAgentConfig } from "@/lib/agent-config";
import { agentForToken, recordAgentContact } from "@/lib/agents";
import { InternalAuthError, readSharedSecret, verifyInternalJwt } from "@/lib/common/internal-jwt";
import {
  describeApiPath,
  isAuditedProxyRequest,
  isKasWebCall,
  KAS_WEB_BATCH_MAX,
  kasWebBatchSchema,
  kasWebCalls,
  type KasWebCall,
  type KasWebRequest,
  type KasWebResponse,
} from "@/lib/common/kas-web-contract";
import type { Db } from "@/lib/db/client";
import { pendingPushesForAgent, recordPushOutcomes } from "@/lib/gitops";
import { invalidFrom } from "@/lib/errors";
import { errorResponse, readJsonBody } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";
import { authorizeProxy, parseProxyCredential } from "@/lib/kubectl-access";
import { logger } from "@/lib/log/logger";
import { receptiveAgentsForKas, recordReceptiveState } from "@/lib/receptive";
import { AGENT_TOKEN_PREFIX, looksLikeToken } from "@/lib/tokens/tokens";

export function sharedSecretFile(): string {
  return process.env.TETHER_KAS_SHARED_SECRET_FILE ?? path.join(process.cwd(), "data", "secrets", "kas-shared-secret");
}

const failedLookups = new RateLimiterMemory({ points: 30, duration: 60 });

/** Counts a failed lookup against the caller; the refusal to send, 429 once it has failed too often. */
async function failedLookup(req: Request, refusal: Response, tooMany: string): Promise<Response> {
  try {
    await failedLookups.consume(req.headers.get("x-forwarded-for") ?? "kas");
  } catch {
    return errorResponse(429, tooMany);
  }
  return refusal;
}

const unknownAgentToken = (req: Request) =>
  failedLookup(
    req,
    errorResponse(401, "unknown or revoked agent token"),
    "too many failed agent token lookups; slow down",
  );
const malformedCredential = () =>
  errorResponse(
    401,
    "malformed credential: use a bearer token of the form pat:<agent-id>:<token> or ci:<agent-id>:<token>",
  );

interface Handler<C extends KasWebCall> {
  /** The answer, or a Response for a refusal. */
  handle(db: Db, body: KasWebRequest<C>, req: Request): Promise<KasWebResponse<C> | Response>;
  /** A body that does not match the call's schema; 400 naming the first problem unless the call says otherwise. */
  invalid?(req: Request): Promise<Response> | Response;
}

const handlers: { [C in KasWebCall]: Handler<C> } = {
  "verify-agent-token": {
    async handle(db, { token }, req) {
      const found = looksLikeToken(token, AGENT_TOKEN_PREFIX) ? await agentForToken(db, token) : null;
      if (!found) return unknownAgentToken(req);
      return {
        agentId: found.agentId,
        agentName: found.agentName,
        projectPath: found.projectPath,
        tokenId: found.tokenId,
      };
    },
    // Whatever was sent, it is no agent token: refused and counted like any other failed lookup.
    invalid: unknownAgentToken,
  },
  "agent-contact": {
    async handle(db, { agentId, info, tokenId, peerAddress }) {
      await recordAgentContact(db, agentId, info, new Date(), { tokenId, peerAddress });
      return { ok: true };
    },
  },
  "agent-configuration": {
    async handle(db, { agentId }) {
      const agent = await db.agent.findUnique({ where: { id: agentId }, select: { id: true } });
      if (!agent) return errorResponse(404, "agent not found");
      const cfg = await currentAgentConfig(db, agent.id);
      return { yaml: cfg.yaml, version: cfg.version };
    },
  },
  "authorize-proxy": {
    async handle(db, { credential }, req) {
      const cred = parseProxyCredential(credential);
      if (!cred) return malformedCredential();
      const decision = await authorizeProxy(db, cred);
      if (decision.allowed) return decision;
      const refusal = errorResponse(decision.status, decision.reason);
      return decision.status === 401 ? failedLookup(req, refusal, "too many failed token lookups; slow down") : refusal;
    },
    invalid: malformedCredential,
  },
  "proxy-audit": {
    async handle(db, a) {
      if (!isAuditedProxyRequest(a.method, a.path, a.status)) return { ok: true };
      const what = describeApiPath(a.path);
      await db.auditEvent.create({
        data: {
          actorId: a.actor.type === "user" ? a.actor.id : null,
          action: "k8s_proxy.request",
          targetType: "agent",
          targetId: a.agentId,
          details: JSON.stringify({
            actor: a.actor.name,
            actorType: a.actor.type,
            verb: a.method,
            resource: what.resource,
            namespace: what.namespace,
            name: what.name,
            status: a.status,
            outcome: a.status < 400 ? "allowed" : "refused",
          }),
        },
      });
      return { ok: true };
    },
  },
  "receptive-agents": {
    async handle(db, { since, waitMs }) {
      return receptiveAgentsForKas(db, since, waitMs);
    },
  },
  "receptive-state": {
    async handle(db, { agentId, state, message }) {
      await recordReceptiveState(db, agentId, state, message);
      return { ok: true };
    },
  },
  "flux-pending-pushes": {
    async handle(db, { agentId }) {
      return { pushes: await pendingPushesForAgent(db, agentId) };
    },
  },
  "flux-push-outcomes": {
    async handle(db, report) {
      await recordPushOutcomes(db, report);
      return { ok: true };
    },
  },
};

async function serve<C extends KasWebCall>(db: Db, call: C, body: unknown, req: Request): Promise<Response> {
  const handler: Handler<C> = handlers[call];
  const parsed = kasWebCalls[call].request.safeParse(body);
  if (!parsed.success)
    return handler.invalid
      ? handler.invalid(req)
      : errorResponse(400, `invalid ${call} request: ${invalidFrom(parsed.error).message}`);
  const answer = await handler.handle(db, parsed.data as KasWebRequest<C>, req);
  return answer instanceof Response ? answer : Response.json(answer);
}

/**
 * Each call of a batch as if it came alone (its own checks, rate limits and status), all at once as the
 * separate requests would have been (one after another, a batch of slow writes outlasts kas's timeout);
 * the answers in the calls' order.
 */
async function serveBatch(db: Db, body: unknown, req: Request): Promise<Response> {
  const parsed = kasWebBatchSchema.request.safeParse(body);
  if (!parsed.success)
    return errorResponse(
      400,
      `invalid batch (1 to ${KAS_WEB_BATCH_MAX} calls of { call, body }): ${invalidFrom(parsed.error).message}`,
    );
  const answers = await Promise.all(
    parsed.data.calls.map(async ({ call, body: callBody }) => {
      let res: Response;
      try {
        res = isKasWebCall(call)
          ? await serve(db, call, callBody, req)
          : errorResponse(404, `no internal API action "${call}"`);
      } catch (e) {
        if (!(e instanceof Error) || !("status" in e))
          logger.error({ action: call, err: (e as Error).message }, "internal API call failed");
        res = toResponse(e);
      }
      return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
    }),
  );
  return Response.json({ answers });
}

export async function handleKasInternal(
  db: Db,
  action: string,
  req: Request,
  secret: string = readSharedSecret(sharedSecretFile()),
): Promise<Response> {
  try {
    const jwt = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
    if (!jwt) return errorResponse(401, "missing internal API token");
    try {
      await verifyInternalJwt(secret, jwt, "tether-kas", "tether-web");
    } catch (e) {
      if (e instanceof InternalAuthError) return errorResponse(401, e.message);
      throw e;
    }
    if (action === "batch") return await serveBatch(db, await readJsonBody(req, 1024 * 1024), req);
    const body = await readJsonBody(req, 16 * 1024);
    if (!isKasWebCall(action)) return errorResponse(404, `no internal API action "${action}"`);
    return await serve(db, action, body, req);
  } catch (e) {
    if (!(e instanceof Error) || !("status" in e))
      logger.error({ action, err: (e as Error).message }, "internal API call failed");
    return toResponse(e);
  }
}
