// API authentication: who makes a REST request (a browser session, or an API token in the Authorization
// header with the scope the method needs) and the route-handler wrappers built on it. Knows no route.
export { authenticate, type ActorVia, type ApiActor, type Authentication } from "./actor";
export { withActor, withSession } from "./handler";
export { readJsonBody } from "@/lib/http/body";
export { API_TOKEN_SCOPES, missingScopeMessage, scopeNeeded, scopesAllow, type ApiTokenScope } from "./scopes";
