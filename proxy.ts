// Passes the requested path to server components, so that a signed-out visitor who opens a deep link
// comes back to it after signing in.
import { NextResponse, type NextRequest } from "next/server";

export const PATH_HEADER = "x-tether-path";

export function proxy(req: NextRequest): NextResponse {
  const headers = new Headers(req.headers);
  headers.set(PATH_HEADER, req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api/|_next/|favicon).*)"] };
