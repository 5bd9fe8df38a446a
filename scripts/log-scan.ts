// Finds secrets in log lines: each secret given (tokens the e2e specs saw minted, session cookies), and
// anything shaped like one, whether or not anybody recorded it: a Tether secret (tthr_<kind>_ and 43
// base64url characters), a JWT or JWE in compact form (session cookies, web ↔ kas tokens, CI ID tokens),
// or one of the given passwords. Used by e2e/log-scan.spec.ts over every line of a full e2e run.

/** The shape of every secret Tether mints (agent, personal access, CI job, invite, webhook): prefix + 256 bits. */
export const TETHER_SECRET_SHAPE = /tthr_[a-z]+_[A-Za-z0-9_-]{43}/g;
/** A JWS (three parts) or JWE (five) in compact form: a base64url JSON header, then dot-separated parts. */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{8,}/g;

export interface LogFile {
  name: string;
  lines: readonly string[];
}

export interface Finding {
  /** file:line */
  where: string;
  what: "minted secret" | "Tether secret" | "JWT" | "password";
  /** The first characters only: the report must not repeat the secret whole. */
  excerpt: string;
}

export function scanLogs(
  files: readonly LogFile[],
  secrets: readonly string[],
  passwords: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const cut = (s: string) => `${s.slice(0, 12)}…`;
  for (const { name, lines } of files) {
    lines.forEach((line, i) => {
      const where = `${name}:${i + 1}`;
      for (const s of secrets) if (line.includes(s)) findings.push({ where, what: "minted secret", excerpt: cut(s) });
      for (const m of line.matchAll(TETHER_SECRET_SHAPE))
        if (!secrets.includes(m[0])) findings.push({ where, what: "Tether secret", excerpt: cut(m[0]) });
      for (const m of line.matchAll(JWT_SHAPE))
        if (!secrets.includes(m[0])) findings.push({ where, what: "JWT", excerpt: cut(m[0]) });
      for (const p of passwords) if (line.includes(p)) findings.push({ where, what: "password", excerpt: "" });
    });
  }
  return findings;
}
