// Domain errors, mapped to HTTP in one place (lib/http/errors.ts). Forbidden is shown as not found, so a
// user without access cannot learn that a thing exists.
export class DomainError extends Error {}

export class NotFound extends DomainError {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class Forbidden extends DomainError {
  constructor(readonly what: string, readonly reason: string) {
    super(reason);
  }
}

export class Invalid extends DomainError {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** Something Tether depends on (kas, the agent, its cluster) cannot serve the request now; when the agent is away, its last contact if known. */
export class Unavailable extends DomainError {
  constructor(reason: string, readonly lastContact: Date | null = null) {
    super(reason);
  }
}
