// Browser defences: the security headers of every response (CSP with per-request nonces) and the
// same-origin rule for state-changing requests that carry the session cookie. Pure: no database, no I/O.
export {
  API_POLICY,
  HSTS_VALUE,
  NONCE_HEADER,
  STATIC_SECURITY_HEADERS,
  newNonce,
  pagePolicy,
  servedOverHttps,
} from "./headers";
export { crossOriginRefusal, hasSessionCookie, webSocketOriginRefusal } from "./same-origin";
// ./csp-report (zod) is imported by its route alone, keeping proxy.ts's bundle small.
