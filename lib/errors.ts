// Domain errors, mapped to HTTP in one place (lib/http/errors.ts). Forbidden is shown as not found, so a
// user without access cannot learn that a thing exists.
import type { ZodError } from "zod";

export class DomainError extends Error {}

export class NotFound extends DomainError {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class Forbidden extends DomainError {
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class Invalid extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A failed zod parse as Invalid: its first issue's message, naming the field it is about (forms show it
 * there), or `field` when the form has one place for every message.
 */
export function invalidFrom(error: ZodError, opts: { fallback?: string; field?: string } = {}): Invalid {
  const issue = error.issues[0];
  return new Invalid(issue?.message ?? opts.fallback ?? "Invalid input", opts.field ?? issue?.path.join("."));
}

export class Conflict extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Something Tether depends on (kas, the agent, its cluster) cannot serve the request now; when the agent is away, its last contact if known. */
export class Unavailable extends DomainError {
  constructor(
    reason: string,
    readonly lastContact: Date | null = null,
  ) {
    super(reason);
  }
}
