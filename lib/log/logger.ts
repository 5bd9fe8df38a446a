// Structured JSON logs. Fields that may hold a secret are redacted wherever they appear.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.TETHER_SERVICE ?? "web" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "secret", "*.secret", "authorization", "*.authorization", "headers.authorization", "passwordHash", "*.passwordHash"],
    censor: "[redacted]",
  },
});
