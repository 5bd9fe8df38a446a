import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createPatSchema } from "@/lib/tokens/access-tokens";
import { curlExample, exampleOf } from "./example";
import { jsonSchemaOf } from "./openapi";

describe("the API page's examples", () => {
  it("fills a body's required fields with placeholders the route's own schema accepts the shape of", () => {
    const schema = jsonSchemaOf(createPatSchema);
    expect(exampleOf(schema)).toEqual({ name: "<name>" });
    const nested = jsonSchemaOf(
      z.object({
        mode: z.enum(["open", "closed"]),
        n: z.number().int().min(3),
        tags: z.array(z.string()),
        x: z.string().optional(),
      }),
    );
    expect(exampleOf(nested)).toEqual({ mode: "open", n: 3, tags: ["<tags>"] });
    const union = jsonSchemaOf(
      z.discriminatedUnion("action", [z.object({ action: z.literal("scale"), replicas: z.number() })]),
    );
    expect(exampleOf(union)).toEqual({ action: "scale", replicas: 1 });
  });

  it("writes a curl line a shell runs as is, the token in the Authorization header", () => {
    const line = curlExample({
      method: "POST",
      url: "https://t.example/api/projects",
      credential: "token",
      body: { name: "it's" },
    });
    expect(line).toBe(
      [
        "curl --fail-with-body -sS -X POST",
        '-H "Authorization: Bearer <token>"',
        '-H "Content-Type: application/json"',
        `-d '{"name":"it'\\''s"}'`,
        "'https://t.example/api/projects'",
      ].join(" \\\n  "),
    );
    expect(curlExample({ method: "GET", url: "https://t.example/api/openapi.json", credential: "none" })).toBe(
      "curl --fail-with-body -sS \\\n  'https://t.example/api/openapi.json'",
    );
  });
});
