// Browser-safe helpers for the API page: an example JSON body from a request body's JSON Schema (the
// required fields, each with a placeholder of its type) and the curl line for an operation.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
};

/** A value that fits the schema, as small as it can be: required properties only, enums' first value. */
export function exampleOf(schema: Schema, name = "value"): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alt = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alt) return exampleOf(alt, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleOf(schema.properties?.[key] ?? {}, key);
      return out;
    }
    case "array":
      return schema.items ? [exampleOf(schema.items, name)] : [];
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return false;
    case "string":
      return `<${name}>`;
    default:
      return schema.default ?? null;
  }
}

/** Single-quoted for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  method: string;
  url: string;
  /** "token": Authorization: Bearer <token>; "none": no credential (public, or the ID token is in the body). */
  credential: "token" | "none";
  body?: unknown;
}

/** The curl command for an operation, one option a line. */
export function curlExample({ method, url, credential, body }: CurlInput): string {
  const lines = [`curl --fail-with-body -sS${method === "GET" ? "" : ` -X ${method}`}`];
  if (credential === "token") lines.push(`-H "Authorization: Bearer <token>"`);
  if (body !== undefined) {
    lines.push(`-H "Content-Type: application/json"`);
    lines.push(`-d ${shellQuote(JSON.stringify(body))}`);
  }
  lines.push(shellQuote(url));
  return lines.join(" \\\n  ");
}
