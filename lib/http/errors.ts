// Maps domain errors to HTTP, in one place. Forbidden becomes 404 when the actor may not even see the
// thing, else 403 with the reason; validation is 400 with the field; conflicts 409.
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { logger } from "@/lib/log/logger";
import { errorResponse, HttpError } from "./body";

export function toResponse(e: unknown): Response {
  if (e instanceof HttpError) return errorResponse(e.status, e.message, e.field);
  if (e instanceof NotFound) return errorResponse(404, e.message);
  if (e instanceof Forbidden) return errorResponse(403, e.message);
  if (e instanceof Invalid) return errorResponse(400, e.message, e.field);
  if (e instanceof Conflict) return errorResponse(409, e.message, e.field);
  logger.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "unhandled error in route handler");
  return errorResponse(500, "Something went wrong on the server; the error was logged");
}
