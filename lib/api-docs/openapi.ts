// The OpenAPI 3.1 document of the REST API, made from the operations table (operations.ts) and the zod
// schemas the routes validate with (zod's own JSON Schema output, draft 2020-12 as OpenAPI 3.1 uses).
import { z } from "zod";
import { scopeNeeded } from "@/lib/api-auth/scopes";
import { API_AREAS, API_OPERATIONS, type ApiAnswer, type ApiAuth, type ApiOperation } from "./operations";

type Json = Record<string, unknown>;

export const SESSION_SCHEME = "session";
export const TOKEN_SCHEME = "apiToken";

/** A zod schema as the JSON Schema of what a client sends (transforms and refinements are the server's). */
export function jsonSchemaOf(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete out.$schema;
  return out;
}

const errorSchemaRef = { $ref: "#/components/schemas/Error" };

function answer(a: ApiAnswer, error: boolean): Json {
  if (error) return { description: a.description, content: { "application/json": { schema: errorSchemaRef } } };
  const type = a.contentType ?? "application/json";
  const schema = type === "application/json" ? { type: "object" } : { type: "string" };
  return { description: a.description, content: { [type]: { schema } } };
}

function security(op: ApiOperation): Json[] {
  switch (op.auth) {
    case "actor": {
      const scope = scopeNeeded(op.method);
      const tokens =
        scope === "read_api"
          ? [{ [TOKEN_SCHEME]: ["read_api"] }, { [TOKEN_SCHEME]: ["api"] }]
          : [{ [TOKEN_SCHEME]: ["api"] }];
      return [{ [SESSION_SCHEME]: [] }, ...tokens];
    }
    case "session":
      return [{ [SESSION_SCHEME]: [] }];
    case "ci-id-token":
    case "public":
      return [];
  }
}

/** Who may call it, in words (shown on the API page and in each operation's description). */
export function authText(auth: ApiAuth, method: string): string {
  switch (auth) {
    case "actor":
      return scopeNeeded(method) === "read_api"
        ? "A browser session, or an API token with the read_api or api scope"
        : "A browser session, or an API token with the api scope";
    case "session":
      return "A browser session only (API tokens are refused with 403)";
    case "ci-id-token":
      return "The CI job's OIDC ID token, in the body";
    case "public":
      return "No sign-in needed";
  }
}

function authAnswers(op: ApiOperation): Record<string, Json> {
  if (op.auth === "actor")
    return {
      "401": answer(
        { status: 401, description: "No session, or the token is malformed, unknown, revoked or expired" },
        true,
      ),
      "403": answer(
        { status: 403, description: `The token lacks the ${scopeNeeded(op.method)} scope (the message names it)` },
        true,
      ),
    };
  if (op.auth === "session")
    return {
      "401": answer({ status: 401, description: "No session (it may have expired)" }, true),
      "403": answer({ status: 403, description: "An API token was sent: this needs a browser session" }, true),
    };
  return {};
}

function queryParameters(op: ApiOperation): Json[] {
  const q = op.query;
  if (!q) return [];
  if ("name" in q && "schema" in q && !(q instanceof z.ZodType))
    return [
      {
        name: q.name,
        in: "query",
        required: true,
        description: q.description,
        style: "form",
        explode: true,
        schema: jsonSchemaOf(q.schema),
      },
    ];
  const schema = jsonSchemaOf(q);
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: s,
  }));
}

export function operationId(op: Pick<ApiOperation, "method" | "path">): string {
  const words = op.path
    .replace(/^\/api\//, "")
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean);
  return [op.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join("");
}

function operationObject(op: ApiOperation): Json {
  const pathParams = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const responses: Record<string, Json> = { [String(op.ok.status)]: answer(op.ok, false) };
  for (const e of op.errors ?? []) responses[String(e.status)] = answer(e, true);
  Object.assign(responses, authAnswers(op));
  const out: Json = {
    operationId: operationId(op),
    tags: [op.area],
    summary: op.summary,
    description: [op.description, `Who may call it: ${authText(op.auth, op.method)}.`].filter(Boolean).join("\n\n"),
    security: security(op),
    responses,
  };
  const parameters = [...pathParams, ...queryParameters(op)];
  if (parameters.length) out.parameters = parameters;
  if (op.body) out.requestBody = { required: true, content: { "application/json": { schema: jsonSchemaOf(op.body) } } };
  return out;
}

/** The whole document; `serverUrl` is this installation's public web address. */
export function openApiDocument(serverUrl: string, version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Tether REST API",
      version,
      description:
        "Send `Authorization: Bearer <personal access token>` (create one under Settings → Access tokens), or a " +
        "project access token (a project's Settings tab), which acts as a bot with one role in that project only. " +
        "Scopes: `api` (every method), `read_api` (GET only). Errors are JSON `{ error, field? }`.",
    },
    servers: [{ url: serverUrl }],
    tags: API_AREAS.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        [SESSION_SCHEME]: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The browser session of a signed-in user (`__Secure-` prefixed over HTTPS)",
        },
        [TOKEN_SCHEME]: {
          type: "http",
          scheme: "bearer",
          description:
            "A personal access token (tthr_pat_…) or a project access token (tthr_prj_…); scopes api (every method) and read_api (GET)",
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: { type: "string", description: "What went wrong, for a person to read" },
            field: { type: "string", description: "The body or query field at fault, when there is one" },
          },
        },
      },
    },
  };
}
