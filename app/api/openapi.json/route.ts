// GET /api/openapi.json: the REST API's OpenAPI 3.1 document (lib/api-docs), generated from the zod
// schemas the routes validate with. No sign-in: it describes the API, not anyone's data.
import { openApiDocument } from "@/lib/api-docs";
import { publicUrls } from "@/lib/public-urls";
import packageJson from "@/package.json";

export const dynamic = "force-dynamic";

export function GET(): Response {
  const doc = openApiDocument(publicUrls().web.url.replace(/\/$/, ""), packageJson.version);
  return Response.json(doc, { headers: { "cache-control": "no-cache" } });
}
