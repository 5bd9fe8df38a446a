// One pino configuration for web, kas and the agent: JSON lines, a `service` field, and one list of
// fields that may hold a secret, redacted wherever a process logs them.
import pino, { type Logger } from "pino";

/** Field names that may hold a token, password or secret, at the top level or one object down. */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "passwordHash",
  "*.passwordHash",
];

/** The process's root logger; capabilities log through `log.child({ capability })`. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ level, base: { service }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } });
}
