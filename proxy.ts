// Runs before every request but static files: the security headers (a fresh CSP nonce for each page,
// which Next.js puts on its own scripts), the same-origin rule for state-changing requests that carry the
// session cookie, and the requested path for server components, so that a signed-out visitor who opens
// a deep link comes back to it after signing in.
import { NextResponse, type NextRequest } from "next/server";
import {
  API_POLICY,
  HSTS_VALUE,
  NONCE_HEADER,
  STATIC_SECURITY_HEADERS,
  crossOriginRefusal,
  newNonce,
  pagePolicy,
  servedOverHttps,
} from "@/lib/web-security";

export const PATH_HEADER = "x-tether-path";

export function proxy(req: NextRequest): NextResponse {
  const https = servedOverHttps(req.nextUrl, req.headers);
  const refusal = crossOriginRefusal({
    method: req.method,
    headers: req.headers,
    extraOrigins: process.env.NEXTAUTH_URL ? [process.env.NEXTAUTH_URL] : [],
  });
  if (refusal) return withSecurityHeaders(NextResponse.json({ error: refusal }, { status: 403 }), API_POLICY, https);
  if (req.nextUrl.pathname.startsWith("/api/")) return withSecurityHeaders(NextResponse.next(), API_POLICY, https);

  const nonce = newNonce();
  const policy = pagePolicy({ nonce, dev: process.env.NODE_ENV === "development", https });
  const headers = new Headers(req.headers);
  headers.set(PATH_HEADER, req.nextUrl.pathname + req.nextUrl.search);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", policy);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), policy, https);
}

function withSecurityHeaders(res: NextResponse, policy: string, https: boolean): NextResponse {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(name, value);
  res.headers.set("Content-Security-Policy", policy);
  if (https) res.headers.set("Strict-Transport-Security", HSTS_VALUE);
  return res;
}

// Static files get the request-independent headers from next.config.ts.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon).*)"] };
