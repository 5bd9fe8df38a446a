// Every operation of the public REST API, with the zod schemas its route validates with (imported from the
// same capability the route imports them from, never copied). openapi.ts turns this table into the OpenAPI
// document; operations.test.ts checks it against the route files under app/api, both ways.
import type { z } from "zod";
import { addShareSchema, configSaveSchema, removeShareSchema, setAccessAsSchema } from "@/lib/agent-config";
import { registerAgentSchema, createTokenSchema } from "@/lib/agents";
import { auditExportProject, auditFilterSchema, auditPageQuery } from "@/lib/audit/audit-filter";
import { changePasswordSchema, setPasswordSchema } from "@/lib/auth/account";
import { userAdminChangeSchema } from "@/lib/auth/admin-users";
import { resetCompleteSchema, resetRequestSchema } from "@/lib/auth/password-reset";
import { createInviteSchema, signUpPolicySchema } from "@/lib/auth/sign-up-policy";
import { signUpSchema } from "@/lib/auth/users";
import { ciCredentialsRequestSchema, ciIdentityInputSchema } from "@/lib/ci-oidc";
import { actionRequest, actionTarget, editRequest } from "@/lib/cluster-actions";
import { liveQuery, objectQuery } from "@/lib/cluster-cache";
import { fleetQuerySchema } from "@/lib/fleet";
import { addMemberSchema, changeRoleSchema, confirmSchema, createGroupSchema, updateGroupSchema } from "@/lib/groups";
import { metricsQuery } from "@/lib/cluster-metrics/metrics";
import { logsQuery, workloadLogsQuery } from "@/lib/pod-logs";
// The shell's query only (browser-safe): the index would bring the WebSocket server into this bundle.
import { shellQuery } from "@/lib/pod-shell/protocol";
import { createProjectSchema, transferProjectSchema, updateProjectSchema } from "@/lib/projects";
import { createProjectTokenSchema } from "@/lib/project-tokens";
import { receptiveUrlInputSchema } from "@/lib/receptive";
import { createCiJobTokenSchema, createPatSchema } from "@/lib/tokens/access-tokens";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Who may call an operation. `actor`: a browser session or `Authorization: Bearer <token>` whose scope
 * allows the method (read_api: GET; api: every method). `session`: a browser session only (it mints or
 * changes credentials). `ci-id-token`: the CI job's OIDC ID token in the body. `public`: nobody in particular.
 */
export type ApiAuth = "actor" | "session" | "ci-id-token" | "public";

export const API_AREAS = [
  "Projects",
  "Groups",
  "Agents",
  "Agent configuration and sharing",
  "Live cluster view",
  "kubectl and CI",
  "GitOps",
  "Audit log",
  "Your account",
  "Administration",
  "About the API",
] as const;
export type ApiArea = (typeof API_AREAS)[number];

export interface ApiAnswer {
  status: number;
  description: string;
  /** The media type of a successful answer's body, when it is not JSON. */
  contentType?: string;
}

export interface ApiOperation {
  method: HttpMethod;
  /** The path in OpenAPI form: /api/projects/{id}. */
  path: string;
  area: ApiArea;
  summary: string;
  description?: string;
  auth: ApiAuth;
  /** The JSON request body's schema, exactly as the route parses it. */
  body?: z.ZodType;
  /** The query string's schema: an object (one parameter per key) or, for a repeated key, `{ name, schema }`. */
  query?: z.ZodType | { name: string; schema: z.ZodType; description: string };
  /** The successful answer. */
  ok: ApiAnswer;
  /** The refusals this operation gives besides those every authenticated route gives (401, 403 scope). */
  errors?: ApiAnswer[];
}

const notFound = (what: string): ApiAnswer => ({
  status: 404,
  description: `${what} does not exist or you cannot see it (the same answer for both)`,
});
const invalid: ApiAnswer = { status: 400, description: "The body or query is invalid; `field` names the culprit" };
const forbidden: ApiAnswer = { status: 403, description: "You can see it but your role does not allow this" };
const conflict = (what: string): ApiAnswer => ({ status: 409, description: what });
const unavailable: ApiAnswer = { status: 503, description: "The agent is not connected or its cluster did not answer" };

export const API_OPERATIONS: readonly ApiOperation[] = [
  // Projects
  {
    method: "GET",
    path: "/api/projects",
    area: "Projects",
    summary: "List the projects you can see",
    auth: "actor",
    ok: { status: 200, description: "`{ projects: [...] }`" },
  },
  {
    method: "POST",
    path: "/api/projects",
    area: "Projects",
    summary: "Create a project",
    description: "In your own namespace or in a group where you are a maintainer or owner.",
    auth: "actor",
    body: createProjectSchema,
    ok: { status: 201, description: "`{ project }` with its id and full path" },
    errors: [invalid, forbidden, conflict("The path is taken")],
  },
  {
    method: "PATCH",
    path: "/api/projects/{id}",
    area: "Projects",
    summary: "Rename a project, change its path or description",
    auth: "actor",
    body: updateProjectSchema,
    ok: { status: 200, description: "`{ project }`" },
    errors: [invalid, forbidden, notFound("The project"), conflict("The new path is taken")],
  },
  {
    method: "DELETE",
    path: "/api/projects/{id}",
    area: "Projects",
    summary: "Delete a project with its agents",
    description: 'The body repeats the project\'s full path: `{ "confirm": "<namespace>/<path>" }`.',
    auth: "actor",
    body: confirmSchema,
    ok: { status: 200, description: "`{ deleted }`: what went with it" },
    errors: [invalid, forbidden, notFound("The project")],
  },
  {
    method: "POST",
    path: "/api/projects/{id}/transfer",
    area: "Projects",
    summary: "Move a project to another group or your own namespace",
    auth: "actor",
    body: transferProjectSchema,
    ok: { status: 200, description: "`{ project }` with its new full path" },
    errors: [invalid, forbidden, notFound("The project"), conflict("The path is taken in the new namespace")],
  },
  {
    method: "GET",
    path: "/api/projects/{id}/agents",
    area: "Agents",
    summary: "List a project's agents with their live status",
    auth: "actor",
    ok: { status: 200, description: "The project's own agents and those shared with it" },
    errors: [notFound("The project")],
  },
  {
    method: "POST",
    path: "/api/projects/{id}/agents",
    area: "Agents",
    summary: "Register an agent",
    auth: "actor",
    body: registerAgentSchema,
    ok: { status: 201, description: "The agent's id, name and page" },
    errors: [invalid, forbidden, notFound("The project"), conflict("The project has an agent of that name")],
  },
  // Groups
  {
    method: "POST",
    path: "/api/groups",
    area: "Groups",
    summary: "Create a group (you become its owner)",
    auth: "actor",
    body: createGroupSchema,
    ok: { status: 201, description: "`{ group }`" },
    errors: [invalid, conflict("The path is taken")],
  },
  {
    method: "PATCH",
    path: "/api/groups/{path}",
    area: "Groups",
    summary: "Rename a group, change its path or description",
    auth: "actor",
    body: updateGroupSchema,
    ok: { status: 200, description: "`{ group }`" },
    errors: [invalid, forbidden, notFound("The group"), conflict("The new path is taken")],
  },
  {
    method: "DELETE",
    path: "/api/groups/{path}",
    area: "Groups",
    summary: "Delete a group with its projects and agents",
    description: 'The body repeats the group\'s path: `{ "confirm": "<path>" }`.',
    auth: "actor",
    body: confirmSchema,
    ok: { status: 200, description: "`{ deleted }`: what went with it" },
    errors: [invalid, forbidden, notFound("The group")],
  },
  {
    method: "POST",
    path: "/api/groups/{path}/members",
    area: "Groups",
    summary: "Add a member with a role (owners)",
    auth: "actor",
    body: addMemberSchema,
    ok: { status: 201, description: "`{ member }`" },
    errors: [invalid, forbidden, notFound("The group"), conflict("Already a member")],
  },
  {
    method: "PATCH",
    path: "/api/groups/{path}/members/{username}",
    area: "Groups",
    summary: "Change a member's role (owners; never below the last owner)",
    auth: "actor",
    body: changeRoleSchema,
    ok: { status: 200, description: "`{ member }`" },
    errors: [invalid, forbidden, notFound("The group or member")],
  },
  {
    method: "DELETE",
    path: "/api/groups/{path}/members/{username}",
    area: "Groups",
    summary: "Remove a member (owners), or leave the group yourself",
    auth: "actor",
    ok: { status: 200, description: "What was removed" },
    errors: [forbidden, notFound("The group or member")],
  },
  // Agents
  {
    method: "GET",
    path: "/api/agents/{id}",
    area: "Agents",
    summary: "One agent with its live status",
    auth: "actor",
    ok: { status: 200, description: "The agent, its connections and versions" },
    errors: [notFound("The agent")],
  },
  {
    method: "DELETE",
    path: "/api/agents/{id}",
    area: "Agents",
    summary: "Delete an agent (its tokens stop working, its tunnels close)",
    description: 'The body repeats the agent\'s name: `{ "confirm": "<name>" }`.',
    auth: "actor",
    body: confirmSchema,
    ok: { status: 200, description: "`{ deleted, tunnelsClosed }`" },
    errors: [invalid, forbidden, notFound("The agent")],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/tokens",
    area: "Agents",
    summary: "List an agent's tokens (never their values)",
    auth: "actor",
    ok: { status: 200, description: "The tokens with who made them, when, last used, revoked" },
    errors: [notFound("The agent")],
  },
  {
    method: "POST",
    path: "/api/agents/{id}/tokens",
    area: "Agents",
    summary: "Create an agent token (shown once, with install instructions)",
    auth: "actor",
    body: createTokenSchema,
    ok: { status: 201, description: "`{ id, token, install }`: the only time the token is shown" },
    errors: [invalid, forbidden, notFound("The agent"), conflict("The agent has the most active tokens allowed")],
  },
  {
    method: "DELETE",
    path: "/api/agents/{id}/tokens/{tokenId}",
    area: "Agents",
    summary: "Revoke an agent token (kas closes the tunnels that used it)",
    auth: "actor",
    ok: { status: 200, description: "What was revoked" },
    errors: [forbidden, notFound("The agent or token")],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/receptive",
    area: "Agents",
    summary: "The agent's receptive URL configuration (never a private key), or null",
    auth: "actor",
    ok: { status: 200, description: "The configuration and kas's state for it" },
    errors: [notFound("The agent")],
  },
  {
    method: "PUT",
    path: "/api/agents/{id}/receptive",
    area: "Agents",
    summary: "Make the agent receptive: kas dials it at a URL",
    auth: "actor",
    body: receptiveUrlInputSchema,
    ok: { status: 200, description: "The configuration as saved" },
    errors: [invalid, forbidden, notFound("The agent")],
  },
  {
    method: "DELETE",
    path: "/api/agents/{id}/receptive",
    area: "Agents",
    summary: "Turn the agent back into an ordinary one",
    auth: "actor",
    ok: { status: 200, description: "`{ ok: true }`" },
    errors: [forbidden, notFound("The agent")],
  },
  // Configuration and sharing
  {
    method: "GET",
    path: "/api/agents/{id}/config",
    area: "Agent configuration and sharing",
    summary: "The configuration in force (YAML, version) and its history",
    auth: "actor",
    ok: { status: 200, description: "The YAML in force, its version and the history" },
    errors: [notFound("The agent")],
  },
  {
    method: "PUT",
    path: "/api/agents/{id}/config",
    area: "Agent configuration and sharing",
    summary: "Save a new configuration version",
    description: "A validation error names the line; a save made on an outdated `baseVersion` is refused (409).",
    auth: "actor",
    body: configSaveSchema,
    ok: { status: 201, description: "The version saved" },
    errors: [invalid, forbidden, notFound("The agent"), conflict("Someone saved another version since baseVersion")],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/config/versions/{version}",
    area: "Agent configuration and sharing",
    summary: "One older configuration version, read-only",
    auth: "actor",
    ok: { status: 200, description: "The version's YAML, author and time" },
    errors: [notFound("The agent or version")],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/sharing",
    area: "Agent configuration and sharing",
    summary: "Who the agent is shared with, and how each block's grants act",
    auth: "actor",
    ok: { status: 200, description: "The ci_access and user_access blocks with their grants" },
    errors: [notFound("The agent")],
  },
  {
    method: "POST",
    path: "/api/agents/{id}/sharing",
    area: "Agent configuration and sharing",
    summary: "Share the agent with a project or group",
    description: "Never changes how the block's other grants act (that is PUT).",
    auth: "actor",
    body: addShareSchema,
    ok: { status: 201, description: "The new configuration version" },
    errors: [invalid, forbidden, notFound("The agent, project or group")],
  },
  {
    method: "PUT",
    path: "/api/agents/{id}/sharing",
    area: "Agent configuration and sharing",
    summary: "Change how every grant of a block acts (access_as)",
    auth: "actor",
    body: setAccessAsSchema,
    ok: { status: 200, description: "The new configuration version" },
    errors: [invalid, forbidden, notFound("The agent")],
  },
  {
    method: "DELETE",
    path: "/api/agents/{id}/sharing",
    area: "Agent configuration and sharing",
    summary: "Stop sharing the agent with a project or group",
    auth: "actor",
    body: removeShareSchema,
    ok: { status: 200, description: "The new configuration version" },
    errors: [invalid, forbidden, notFound("The agent or grant")],
  },
  // Live cluster view
  {
    method: "GET",
    path: "/api/agents/{id}/discovery",
    area: "Live cluster view",
    summary: "The resources the cluster serves that you can list and watch",
    auth: "actor",
    ok: { status: 200, description: "The API groups and resources, as your identity in the cluster" },
    errors: [notFound("The agent"), unavailable],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/live",
    area: "Live cluster view",
    summary: "Server-sent events: a snapshot, then the changes of each collection",
    auth: "actor",
    query: {
      name: "path",
      schema: liveQuery,
      description: "A Kubernetes collection path, repeated once per collection",
    },
    ok: { status: 200, description: "An event stream", contentType: "text/event-stream" },
    errors: [invalid, notFound("The agent")],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/object",
    area: "Live cluster view",
    summary: "One object of a collection, whole (Secrets with key names only)",
    auth: "actor",
    query: objectQuery,
    ok: { status: 200, description: "`{ object }`" },
    errors: [invalid, notFound("The agent or object"), unavailable],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/metrics",
    area: "Live cluster view",
    summary: "CPU and memory of the cluster's pods or nodes, from its metrics.k8s.io (metrics-server)",
    description:
      "Read as you, at each request (nothing is cached). `state` is `available` with `usage` (cores and bytes; a " +
      "pod's is its containers' sum), or says why there are none: `not_served` (the cluster has no metrics-server), " +
      "`refused` (the cluster's RBAC, with its message) or `unavailable` (its metrics API is not answering).",
    auth: "actor",
    query: metricsQuery,
    ok: { status: 200, description: "`{ state, usage?, message? }`" },
    errors: [invalid, notFound("The agent"), unavailable],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/logs",
    area: "Live cluster view",
    summary: "A container's log, streamed as plain text",
    auth: "actor",
    query: logsQuery,
    ok: { status: 200, description: "The log", contentType: "text/plain" },
    errors: [invalid, notFound("The agent, pod or container"), unavailable],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/workload-logs",
    area: "Live cluster view",
    summary: "The logs of a Deployment's, StatefulSet's, DaemonSet's, ReplicaSet's or Job's pods, interleaved",
    description:
      "Reads the workload and lists its pods with its selector, as you, then follows up to 10 pods' logs at once " +
      "(running, ready pods first; each pod's default container, or every container with `allContainers=true`). " +
      "The answer is NDJSON, one event a line: first " +
      '`{"type":"sources","sources":[{"pod":"...","container":"..."}],"total":14,"pods":14,"limit":10}` ' +
      "(a line's `source` is an index into `sources`; `total` counts every log there was), then " +
      '`{"type":"lines","source":0,"lines":["..."]}` in the order lines arrive, and ' +
      '`{"type":"end","source":0}` per log (with `"error"`, the cluster\'s words, when it refused or broke). ' +
      "Following, the pods are watched as you too: a pod that comes and runs has its log followed while fewer than " +
      '10 are read (`{"type":"source","source":2,"pod":"...","container":"..."}`), a change in the count is ' +
      '`{"type":"total","total":15,"pods":15}`, a deleted pod is `{"type":"gone","pod":"..."}` (its logs end), and ' +
      'a watch that was refused or broke is `{"type":"unwatched","error":"..."}` (new pods are no longer picked up).',
    auth: "actor",
    query: workloadLogsQuery,
    ok: { status: 200, description: "The logs' events", contentType: "application/x-ndjson" },
    errors: [invalid, notFound("The agent or workload"), unavailable],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/exec",
    area: "Live cluster view",
    summary: "A shell in a container: a WebSocket carrying a command with a terminal, run as you",
    description:
      "Open it as a WebSocket (`Upgrade: websocket`) from Tether's own pages: the Origin must be Tether's and " +
      "the session cookie a live session (API tokens cannot open shells). The cluster must allow you `create` " +
      "on `pods/exec` (asked with a SelfSubjectAccessReview as you; WebSocket exec also needs `get` on " +
      "Kubernetes before 1.35); the command then runs as you through the agent, with a terminal. Binary " +
      "messages carry the terminal's bytes both ways; text messages are JSON: you send " +
      '`{"type":"resize","cols":120,"rows":40}`, Tether sends `{"type":"open",...}` once the command runs and ' +
      '`{"type":"end","code":...,"reason":"...","exitCode":...}` before it closes the socket with `code` ' +
      "(1000 the command ended; 4400 bad request, 4401 your session ended or you were blocked, 4403 the " +
      "cluster refused (its words in `reason`), 4404 no such agent, pod or container, 4408 idle, 4429 too many " +
      "shells open, 4502 the cluster or tunnel failed, 4503 the agent is not connected). Each session is " +
      "audited as `cluster.exec` when it ends. Without the upgrade the answer is 426 (404 for an agent you " +
      "may not see).",
    auth: "session",
    query: shellQuery,
    ok: { status: 101, description: "Switching protocols: the shell's WebSocket" },
    errors: [
      { status: 426, description: "Not a WebSocket upgrade" },
      { status: 403, description: "A WebSocket from another site's page (its Origin is not Tether's)" },
    ],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/actions",
    area: "Live cluster view",
    summary: "The actions the cluster would let you take on an object",
    auth: "actor",
    query: actionTarget,
    ok: { status: 200, description: "`{ allowed: [...] }`" },
    errors: [invalid, notFound("The agent"), unavailable],
  },
  {
    method: "POST",
    path: "/api/agents/{id}/actions",
    area: "Live cluster view",
    summary: "Take an action on an object (restart, scale, delete, drain…), as you, audited",
    auth: "actor",
    body: actionRequest,
    ok: { status: 200, description: "What the cluster did" },
    errors: [invalid, { status: 403, description: "The cluster refused it for your identity" }, unavailable],
  },
  {
    method: "POST",
    path: "/api/agents/{id}/edit",
    area: "Live cluster view",
    summary: "Replace an object with edited YAML (dryRun: review the diff first)",
    auth: "actor",
    body: editRequest,
    ok: { status: 200, description: "The live and the resulting object as YAML" },
    errors: [invalid, { status: 403, description: "The cluster refused it for your identity" }, unavailable],
  },
  // kubectl and CI
  {
    method: "POST",
    path: "/api/agents/{id}/kubeconfig",
    area: "kubectl and CI",
    summary: "A kubeconfig for this agent with a new k8s_proxy token (30 days, shown once)",
    description: "Send an empty JSON object. Browser session only: a token cannot mint tokens.",
    auth: "session",
    ok: { status: 201, description: "The kubeconfig and the token in it" },
    errors: [notFound("The agent")],
  },
  {
    method: "POST",
    path: "/api/projects/{id}/ci-job-tokens",
    area: "kubectl and CI",
    summary: "CI job credentials: a kubeconfig with a context per agent the project's CI may use",
    auth: "actor",
    body: createCiJobTokenSchema,
    ok: { status: 201, description: "The job token, per-agent credentials and `kubeconfig`" },
    errors: [invalid, forbidden, notFound("The project")],
  },
  {
    method: "POST",
    path: "/api/ci/credentials",
    area: "kubectl and CI",
    summary: "Trade a CI job's OIDC ID token for CI job credentials",
    description:
      "No session and no API token: the ID token (GitHub Actions, GitLab CI, any issuer a project trusts) is the credential. Every exchange is audited.",
    auth: "ci-id-token",
    body: ciCredentialsRequestSchema,
    ok: { status: 201, description: "A kubeconfig with a context per usable agent" },
    errors: [
      invalid,
      {
        status: 403,
        description: "The ID token is not valid, or no trusted identity matches it (the message says which)",
      },
      { status: 503, description: "The issuer's discovery document or keys could not be fetched in time" },
    ],
  },
  {
    method: "GET",
    path: "/api/projects/{id}/ci-identities",
    area: "kubectl and CI",
    summary: "The CI identities a project trusts",
    auth: "actor",
    ok: { status: 200, description: "`{ identities: [...] }`" },
    errors: [notFound("The project")],
  },
  {
    method: "POST",
    path: "/api/projects/{id}/ci-identities",
    area: "kubectl and CI",
    summary: "Trust a CI identity (issuer, audience, claim conditions)",
    description: "Browser session only: a trusted identity mints credentials.",
    auth: "session",
    body: ciIdentityInputSchema,
    ok: { status: 201, description: "The identity" },
    errors: [invalid, forbidden, notFound("The project")],
  },
  {
    method: "DELETE",
    path: "/api/projects/{id}/ci-identities/{identityId}",
    area: "kubectl and CI",
    summary: "Stop trusting a CI identity",
    auth: "actor",
    ok: { status: 200, description: "What was removed" },
    errors: [forbidden, notFound("The project or identity")],
  },
  {
    method: "GET",
    path: "/api/projects/{id}/access-tokens",
    area: "kubectl and CI",
    summary: "A project's access tokens (never their values): role, scopes, bot, created by, expiry, last use",
    description: "Maintainers and owners of the project.",
    auth: "actor",
    ok: { status: 200, description: "`{ tokens: [...] }` with each token's status (active, expired, revoked)" },
    errors: [forbidden, notFound("The project")],
  },
  {
    method: "POST",
    path: "/api/projects/{id}/access-tokens",
    area: "kubectl and CI",
    summary: "Create a project access token: a bot with one role (developer or maintainer) in this project only",
    description:
      "Maintainers and owners; browser session only: a token cannot mint tokens. The token (prefix tthr_prj_) is in the answer, the only time it is shown; it expires within 365 days.",
    auth: "session",
    body: createProjectTokenSchema,
    ok: { status: 201, description: "The token, its bot's username and its expiry" },
    errors: [invalid, forbidden, notFound("The project")],
  },
  {
    method: "DELETE",
    path: "/api/projects/{id}/access-tokens/{tokenId}",
    area: "kubectl and CI",
    summary: "Revoke a project access token (its scripts and kubectl are refused from then on)",
    auth: "actor",
    ok: { status: 200, description: "`{ ok: true }`, also when it was revoked already" },
    errors: [forbidden, notFound("The project or token")],
  },
  // Audit
  {
    method: "GET",
    path: "/api/projects/{id}/audit",
    area: "Audit log",
    summary: "A project's audit log, newest first, 50 a page",
    auth: "actor",
    query: auditPageQuery,
    ok: { status: 200, description: "The page of events and how many there are" },
    errors: [invalid, notFound("The project")],
  },
  {
    method: "GET",
    path: "/api/audit/export",
    area: "Audit log",
    summary: "Audit events as CSV (without `project`: the installation's, administrators only)",
    auth: "actor",
    query: auditFilterSchema.extend({ project: auditExportProject.optional() }),
    ok: { status: 200, description: "A CSV download", contentType: "text/csv" },
    errors: [invalid, notFound("The project")],
  },
  // Your account
  {
    method: "GET",
    path: "/api/user/tokens",
    area: "Your account",
    summary: "Your personal access tokens (never their values)",
    auth: "actor",
    ok: { status: 200, description: "The tokens with scopes, expiry and last use" },
  },
  {
    method: "POST",
    path: "/api/user/tokens",
    area: "Your account",
    summary: "Create a personal access token (shown once)",
    description: "Browser session only: a token cannot mint tokens.",
    auth: "session",
    body: createPatSchema,
    ok: { status: 201, description: "The token in clear text, the only time it is shown" },
    errors: [invalid],
  },
  {
    method: "DELETE",
    path: "/api/user/tokens/{id}",
    area: "Your account",
    summary: "Revoke one of your personal access tokens",
    auth: "actor",
    ok: { status: 200, description: "What was revoked" },
    errors: [notFound("The token")],
  },
  {
    method: "POST",
    path: "/api/user/password",
    area: "Your account",
    summary: "Change your password (every session of yours ends)",
    auth: "session",
    body: changePasswordSchema,
    ok: { status: 200, description: "`{ ok: true }`" },
    errors: [invalid],
  },
  {
    method: "DELETE",
    path: "/api/user/sessions",
    area: "Your account",
    summary: "Sign out everywhere, this browser included",
    auth: "session",
    ok: { status: 200, description: "`{ ok: true }`" },
  },
  {
    method: "POST",
    path: "/api/users",
    area: "Your account",
    summary: "Sign up with e-mail and password",
    description: "Allowed as the installation's sign-up setting says (open, some domains, approval, invites).",
    auth: "public",
    body: signUpSchema,
    ok: { status: 201, description: "`{ user }`" },
    errors: [
      invalid,
      { status: 403, description: "Sign-up is closed to you, or the invite is not valid" },
      conflict("The e-mail address or username is taken"),
    ],
  },
  {
    method: "POST",
    path: "/api/password-reset",
    area: "Your account",
    summary: "Ask for a link to set a new password, by e-mail",
    description:
      "The same answer for every e-mail address; the link works once, within an hour. Limited per account and per client address.",
    auth: "public",
    body: resetRequestSchema,
    ok: { status: 202, description: "`{ message }`, whatever the address" },
    errors: [invalid, { status: 503, description: "This installation cannot send e-mail (no SMTP server configured)" }],
  },
  {
    method: "POST",
    path: "/api/password-reset/confirm",
    area: "Your account",
    summary: "Set a new password with the e-mailed link's token (every session of the account ends)",
    auth: "public",
    body: resetCompleteSchema,
    ok: { status: 200, description: "`{ ok: true }`" },
    errors: [{ status: 400, description: "The link no longer works (`field: token`), or the password is invalid" }],
  },
  // Administration
  {
    method: "GET",
    path: "/api/admin/fleet",
    area: "Administration",
    summary:
      "Every agent with its connection state, versions and support status; every project and group; kas's health",
    description:
      "Connection states are asked of kas now (`kas.reachable` false: kas did not answer and states come from the last heartbeats). The filters narrow together; `counts` are over every agent whatever the filter.",
    auth: "actor",
    query: fleetQuerySchema,
    ok: { status: 200, description: "`{ now, kas, counts, agents, projects, groups }`" },
    errors: [invalid, notFound("This (for anyone not an administrator)")],
  },
  {
    method: "PUT",
    path: "/api/admin/sign-up",
    area: "Administration",
    summary: "Set who may create an account",
    auth: "session",
    body: signUpPolicySchema,
    ok: { status: 200, description: "`{ policy }`" },
    errors: [invalid, notFound("This (for anyone not an administrator)")],
  },
  {
    method: "POST",
    path: "/api/admin/invites",
    area: "Administration",
    summary: "Create a single-use invite link (shown once)",
    auth: "session",
    body: createInviteSchema,
    ok: { status: 201, description: "`{ url, expiresAt }`" },
    errors: [invalid, notFound("This (for anyone not an administrator)")],
  },
  {
    method: "DELETE",
    path: "/api/admin/invites/{id}",
    area: "Administration",
    summary: "Revoke an invite link that was not used yet (audited)",
    auth: "session",
    ok: { status: 200, description: "`{ ok: true }`" },
    errors: [notFound("The invite"), conflict("The invite was already used or revoked")],
  },
  {
    method: "PATCH",
    path: "/api/users/{id}",
    area: "Administration",
    summary: "Block or unblock a user, grant or remove the administrator role",
    auth: "session",
    body: userAdminChangeSchema,
    ok: { status: 200, description: "`{ user }`" },
    errors: [invalid, notFound("The user"), conflict("The last administrator keeps the role")],
  },
  {
    method: "POST",
    path: "/api/users/{id}/password",
    area: "Administration",
    summary: "Set a user's password (their sessions end)",
    auth: "session",
    body: setPasswordSchema,
    ok: { status: 200, description: "`{ ok: true }`" },
    errors: [invalid, notFound("The user")],
  },
  {
    method: "DELETE",
    path: "/api/users/{id}/sessions",
    area: "Administration",
    summary: "End every session of a user",
    auth: "session",
    ok: { status: 200, description: "`{ ok: true }`" },
    errors: [notFound("The user")],
  },
  // About
  {
    method: "GET",
    path: "/api/openapi.json",
    area: "About the API",
    summary: "This document (OpenAPI 3.1)",
    auth: "public",
    ok: { status: 200, description: "The OpenAPI document" },
  },
  // GitOps
  {
    method: "GET",
    path: "/api/projects/{id}/repository-webhook",
    area: "GitOps",
    summary: "The project's repository webhook: its URL and when it was made (never the secret)",
    auth: "actor",
    ok: { status: 200, description: "The webhook's URL and dates, or none when the project has no webhook" },
    errors: [notFound("The project")],
  },
  {
    method: "POST",
    path: "/api/projects/{id}/repository-webhook",
    area: "GitOps",
    summary: "Create the repository webhook, or rotate its secret",
    description:
      "Maintainers. The answer carries the secret once; GitLab sends it as X-Gitlab-Token, GitHub and Gitea/Forgejo sign the body with it (X-Hub-Signature-256).",
    auth: "session",
    ok: { status: 201, description: "The webhook's URL and its new secret, shown this once" },
    errors: [notFound("The project"), forbidden],
  },
  {
    method: "DELETE",
    path: "/api/projects/{id}/repository-webhook",
    area: "GitOps",
    summary: "Delete the repository webhook (deliveries to its URL are refused from then on)",
    auth: "session",
    ok: { status: 204, description: "Deleted" },
    errors: [notFound("The project"), forbidden],
  },
  {
    method: "POST",
    path: "/api/webhooks/git/{id}",
    area: "GitOps",
    summary: "Receive a push from GitLab, GitHub or Gitea/Forgejo",
    description:
      "No session and no API token: the delivery proves itself with the webhook's secret (X-Gitlab-Token, or an HMAC-SHA256 of the body in X-Hub-Signature-256 / X-Gitea-Signature). The body is the forge's own push event, at most 1 MiB. The push is recorded once per delivery id and handed to the agents the project may use, which ask Flux to reconcile the GitRepository objects that follow the pushed repository.",
    auth: "public",
    ok: {
      status: 202,
      description: "The push is recorded and the agents are notified (200 for a ping or a replayed delivery)",
    },
    errors: [
      { status: 400, description: "The push event is malformed; the message names the field" },
      {
        status: 401,
        description: "The secret or signature is missing or wrong (nothing is recorded but an audit line)",
      },
      { status: 413, description: "The body is larger than 1 MiB" },
    ],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/flux",
    area: "GitOps",
    summary: "Which Flux kinds the agent's cluster serves, at which versions, as you may see them",
    auth: "actor",
    ok: { status: 200, description: "The Flux kinds the cluster serves (none when Flux is not installed)" },
    errors: [notFound("The agent"), unavailable],
  },
  {
    method: "GET",
    path: "/api/agents/{id}/flux/summary",
    area: "GitOps",
    summary: "Counts of the cluster's Flux objects: all, not Ready, suspended",
    auth: "actor",
    ok: { status: 200, description: "The counts, as your identity in the cluster sees them" },
    errors: [notFound("The agent"), unavailable],
  },
];
