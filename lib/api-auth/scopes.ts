// Which API token scope a request needs, by its method: reading (GET, HEAD) needs read_api or api,
// anything else needs api. k8s_proxy is for kubectl through kas only and opens no REST route.

export { API_TOKEN_SCOPES, type ApiTokenScope } from "@/lib/tokens/tokens";

const READ_METHODS = new Set(["GET", "HEAD"]);

/** The scope a REST request needs; read_api is enough for a read, and api covers both. */
export function scopeNeeded(method: string): "api" | "read_api" {
  return READ_METHODS.has(method.toUpperCase()) ? "read_api" : "api";
}

/** Do these scopes let a token make a request with this method on the REST API? */
export function scopesAllow(scopes: readonly string[], method: string): boolean {
  if (scopes.includes("api")) return true;
  return scopeNeeded(method) === "read_api" && scopes.includes("read_api");
}

/** The 403 message for a token that lacks the scope, naming the one it needs. */
export function missingScopeMessage(scopes: readonly string[], method: string): string {
  const has = scopes.length ? scopes.join(", ") : "none";
  return scopeNeeded(method) === "read_api"
    ? `This token needs the read_api or api scope to read through the REST API (it has: ${has})`
    : `This token needs the api scope for ${method.toUpperCase()} requests (it has: ${has})`;
}
