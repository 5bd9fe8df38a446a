// The OpenAPI document cannot drift from the routes: every route file under app/api (but the internal,
// NextAuth, metrics and CSP report ones, which are no public API) and each method it exports is documented, every
// documented operation exists, the auth each claims is the wrapper the route uses, and the document is valid.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { API_OPERATIONS, HTTP_METHODS, openApiDocument, type ApiAuth } from "@/lib/api-docs";

const API_DIR = path.join(process.cwd(), "app", "api");
const NOT_PUBLIC = ["internal", "auth", "metrics", "csp-report"];

interface RouteMethod {
  key: string;
  file: string;
  auth: ApiAuth | "other";
  readsBody: boolean;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return dir === API_DIR && NOT_PUBLIC.includes(e.name) ? [] : routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** app/api/agents/[id]/route.ts → /api/agents/{id} */
function openApiPath(file: string): string {
  const rel = path.relative(path.join(process.cwd(), "app"), path.dirname(file)).split(path.sep);
  return "/" + rel.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
}

function routeMethods(): RouteMethod[] {
  return routeFiles(API_DIR).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const p = openApiPath(file);
    const found: RouteMethod[] = [];
    for (const m of HTTP_METHODS) {
      const wrapped = new RegExp(`export const ${m} = (with\\w+)\\(`).exec(text);
      const plain = new RegExp(`export (async )?function ${m}\\(`).test(text);
      if (!wrapped && !plain) continue;
      const auth = wrapped?.[1] === "withActor" ? "actor" : wrapped?.[1] === "withSession" ? "session" : "other";
      found.push({ key: `${m} ${p}`, file, auth, readsBody: /readJsonBody|ciCredentialsResponse/.test(text) });
    }
    expect(found.length, `${file} exports no HTTP method the test knows`).toBeGreaterThan(0);
    return found;
  });
}

const documented = new Map(API_OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));
const doc = openApiDocument("https://tether.example.com", "0.0.0-test");

describe("the OpenAPI document", () => {
  it("documents every public route and method, and nothing that does not exist", () => {
    const routes = routeMethods();
    const inCode = routes.map((r) => r.key).sort();
    expect(inCode.length).toBeGreaterThan(40);
    expect(
      inCode.filter((k) => !documented.has(k)),
      "routes missing from lib/api-docs/operations.ts",
    ).toEqual([]);
    expect(
      [...documented.keys()].filter((k) => !inCode.includes(k)),
      "documented operations with no route",
    ).toEqual([]);
    expect(API_OPERATIONS.length).toBe(documented.size);
  });

  it("claims for each operation the authentication its route really requires", () => {
    for (const r of routeMethods()) {
      const op = documented.get(r.key);
      if (!op) throw new Error(`${r.key} is not documented`);
      if (r.auth === "other") expect(["public", "ci-id-token"], r.key).toContain(op.auth);
      else expect(op.auth, r.key).toBe(r.auth);
    }
  });

  it("documents a request body for the operations whose route reads one", () => {
    for (const r of routeMethods()) {
      const op = documented.get(r.key);
      if (!op) throw new Error(`${r.key} is not documented`);
      // The kubeconfig route reads an (empty) JSON body only to refuse a form post; there is nothing to document.
      if (op.body) expect(r.readsBody, `${r.key} documents a body its route never reads`).toBe(true);
    }
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("carries the routes' own validation rules: required fields, limits and enums", () => {
    type Op = {
      requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
      security: Record<string, string[]>[];
      parameters?: { name: string; in: string; required: boolean }[];
    };
    const paths = doc.paths as Record<string, Record<string, Op>>;
    const createToken = paths["/api/user/tokens"]!.post!;
    const tokenBody = createToken.requestBody!.content["application/json"]!.schema as {
      properties: Record<string, { items?: { enum?: string[] } }>;
      required: string[];
    };
    expect(tokenBody.required).toContain("name");
    expect(tokenBody.properties.scopes?.items?.enum).toEqual(expect.arrayContaining(["api", "read_api", "k8s_proxy"]));
    // A browser session only: no token scheme offered.
    expect(createToken.security).toEqual([{ session: [] }]);
    // A read accepts read_api; a write needs api.
    expect(paths["/api/projects"]!.get!.security).toContainEqual({ apiToken: ["read_api"] });
    expect(paths["/api/projects"]!.post!.security).not.toContainEqual({ apiToken: ["read_api"] });
    expect(paths["/api/projects"]!.post!.security).toContainEqual({ apiToken: ["api"] });
    const config = paths["/api/agents/{id}/config"]!.put!.requestBody!.content["application/json"]!.schema;
    expect(config.required).toEqual(["yaml"]);
    const logs = paths["/api/agents/{id}/logs"]!.get!.parameters!;
    expect(logs).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
    expect(logs.map((p) => p.name)).toEqual(expect.arrayContaining(["namespace", "pod"]));
  });
});
