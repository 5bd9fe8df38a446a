// Tether's own release version (what kas reports to agents) and the comparison that tells whether an
// agent is behind it. Shared by kas and web, so it imports nothing process-specific.

/** The version of this kas; agents older than it are shown with an upgrade warning. */
export const KAS_VERSION = "0.1.0";

/** Parses "1.2.3" or "v1.2.3" (an optional pre-release or build suffix is ignored); null otherwise. */
export function parseReleaseVersion(v: string | null | undefined): [number, number, number] | null {
  if (typeof v !== "string") return null;
  const m = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:[-+][0-9A-Za-z.+-]*)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Negative when a < b, 0 when equal, positive when a > b; null when either is not a version. */
export function compareReleaseVersions(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = parseReleaseVersion(a);
  const y = parseReleaseVersion(b);
  if (!x || !y) return null;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** True only when both versions parse and the agent's is older than kas's. */
export function agentIsBehind(agentVersion: string | null | undefined, kasVersion: string = KAS_VERSION): boolean {
  const c = compareReleaseVersions(agentVersion, kasVersion);
  return c !== null && c < 0;
}
