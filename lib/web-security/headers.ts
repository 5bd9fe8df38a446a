// The response headers that tell a browser how to treat Tether's pages and API answers. Pages get a
// Content-Security-Policy with a fresh nonce per request (Next.js reads the nonce from the request's
// CSP header and puts it on its own scripts); API answers are data, so their policy allows nothing.

export const NONCE_HEADER = "x-nonce";

/** Where browsers send reports of violations of the page policy (app/api/csp-report/route.ts). */
export const CSP_REPORT_PATH = "/api/csp-report";

/** Headers that do not depend on the request: every response carries them, static files included. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // Older browsers that ignore CSP's frame-ancestors still refuse to frame the app.
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** Browsers keep HTTPS for two years once they saw this over HTTPS; over plain HTTP it must not be sent. */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

export interface PolicyOptions {
  nonce: string;
  /** `next dev`: React needs eval for its debugging aids, and the dev overlay injects styles without a nonce. */
  dev: boolean;
  https: boolean;
}

/** The page policy: scripts only with this request's nonce (and what they load), nothing may frame the app. */
export function pagePolicy({ nonce, dev, https }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    // Sizes computed while rendering (the live view's virtual rows, the config editor's height) are style
    // attributes in the server's HTML; an attribute can style but not run anything.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    // The cluster tab's HTML reads its live stream in a dedicated worker made from a blob (early-stream.ts).
    "worker-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Browsers report each violation here (app/api/csp-report): a warning in web's log.
    `report-uri ${CSP_REPORT_PATH}`,
  ];
  // Over plain HTTP (the embedded default on a LAN address) upgrading would break every sub-resource.
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** JSON, event streams and downloads are never documents: they may load nothing and be framed by nobody. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A nonce of 128 random bits, base64 as CSP's nonce-source expects. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * Whether the browser reached us over HTTPS: TLS here, or a TLS-terminating proxy in front that says so.
 * Trusting the forwarded header is harmless here: browsers ignore HSTS received over plain HTTP.
 */
export function servedOverHttps(url: URL, headers: Headers): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded ? forwarded === "https" : url.protocol === "https:";
}
