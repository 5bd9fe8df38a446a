// Cross-site request forgery defence for cookie sessions: a browser attaches the session cookie to a
// request that another site's page makes, so a state-changing request with that cookie must show that
// it comes from one of our own pages. Fetch metadata (Sec-Fetch-Site) says so directly; browsers that
// do not send it (plain HTTP on a non-local address) still send Origin on every POST, PUT, PATCH and DELETE.
// A request that carries neither is not from a browser's page (kubectl, kas, scripts), and a bearer
// token without the cookie is never attached by a browser on its own: both stay allowed.

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const SESSION_COOKIE = /^(__Secure-|__Host-)?next-auth\.session-token(\.\d+)?$/;

/** Does the Cookie header hold next-auth's session cookie (plain, __Secure-, or split into chunks)? */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(";").some((pair) => SESSION_COOKIE.test(pair.split("=", 1)[0]!.trim()));
}

export interface SameOriginInput {
  method: string;
  headers: Headers;
  /** Origins we are served at besides the Host header's (NEXTAUTH_URL, behind a proxy that rewrites Host). */
  extraOrigins?: readonly string[];
}

/** Why this request is refused as cross-origin, or null when it may go on. */
export function crossOriginRefusal({ method, headers, extraOrigins = [] }: SameOriginInput): string | null {
  if (!UNSAFE_METHODS.has(method.toUpperCase())) return null;
  if (!hasSessionCookie(headers.get("cookie"))) return null;
  const site = headers.get("sec-fetch-site")?.toLowerCase();
  if (site) {
    // "none": the user started it (a bookmark, the address bar), which no other site can do.
    return site === "same-origin" || site === "none"
      ? null
      : `Cross-origin request refused (Sec-Fetch-Site: ${site}): send it from Tether's own pages`;
  }
  const origin = headers.get("origin");
  if (!origin) return null;
  const hosts = [headers.get("host"), headers.get("x-forwarded-host")?.split(",")[0]?.trim()]
    .filter((h): h is string => Boolean(h))
    .map((h) => h.toLowerCase());
  const host = originHost(origin);
  if (host && hosts.includes(host)) return null;
  if (extraOrigins.some((o) => sameOriginString(o, origin))) return null;
  return `Cross-origin request refused (Origin: ${origin.slice(0, 200)}): send it from Tether's own pages`;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

function sameOriginString(configured: string, origin: string): boolean {
  try {
    return new URL(configured).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/**
 * Why a WebSocket upgrade is refused as cross-origin, or null. Browsers send Origin on every WebSocket
 * handshake and the same-origin policy does not guard WebSockets, so a handshake must name one of our
 * own origins: the Host header's (either scheme), or one we are configured at (NEXTAUTH_URL).
 */
export function webSocketOriginRefusal(
  headers: Record<string, string | string[] | undefined>,
  extraOrigins: readonly string[] = [],
): string | null {
  const origin = typeof headers.origin === "string" ? headers.origin : undefined;
  if (!origin) return "A WebSocket must come from Tether's own pages (no Origin header)";
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const hosts = [one(headers.host), one(headers["x-forwarded-host"])?.split(",")[0]?.trim()]
    .filter((h): h is string => Boolean(h))
    .map((h) => h.toLowerCase());
  const host = originHost(origin);
  if (host && hosts.includes(host)) return null;
  if (extraOrigins.some((o) => sameOriginString(o, origin))) return null;
  return `Cross-origin WebSocket refused (Origin: ${origin.slice(0, 200)}): open it from Tether's own pages`;
}
