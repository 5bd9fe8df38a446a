// Maps domain errors to HTTP, in one place. Forbidden becomes 404 when the actor may not even see the
// thing, else 403 with the reason; validation is 400 with the field; conflicts 409; unavailable 503.
// The tunnel client's errors are mapped here too, so routes that reach a cluster need no catch of their own.
import { Conflict, DomainError, Forbidden, Invalid, NotFound, Unavailable } from "@/lib/errors";
import { logger } from "@/lib/log/logger";
import { AgentNotConnectedError, TunnelError, UpstreamStatusError } from "@/lib/tunnel-client";
import { errorResponse, HttpError } from "./body";

/**
 * What a tunnel failure means to the caller. The cluster answered: its RBAC refusal (403) is the user's
 * own, any other status is a bad gateway. The cluster could not be asked (agent not connected, stream
 * limit, timeout, kas unreachable): unavailable, with the agent's last contact when kas knew it.
 */
function fromTunnel(e: TunnelError): DomainError | HttpError {
  if (e instanceof UpstreamStatusError)
    return e.status === 403
      ? new Forbidden("cluster", `the cluster refused: ${e.message}`)
      : new HttpError(502, `the cluster refused: ${e.message}`);
  return new Unavailable(e.message, e instanceof AgentNotConnectedError ? e.lastSeen : null);
}

export function toResponse(thrown: unknown): Response {
  const e = thrown instanceof TunnelError ? fromTunnel(thrown) : thrown;
  if (e instanceof HttpError) return errorResponse(e.status, e.message, e.field);
  if (e instanceof NotFound) return errorResponse(404, e.message);
  if (e instanceof Forbidden) return errorResponse(403, e.message);
  if (e instanceof Invalid) return errorResponse(400, e.message, e.field);
  if (e instanceof Conflict) return errorResponse(409, e.message, e.field);
  if (e instanceof Unavailable) return errorResponse(503, e.message);
  logger.error(
    { err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) },
    "unhandled error in route handler",
  );
  return errorResponse(500, "Something went wrong on the server; the error was logged");
}
