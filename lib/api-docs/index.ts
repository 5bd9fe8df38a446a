// The REST API's OpenAPI document, made from the routes' own zod schemas (operations.ts is the table of
// operations; openapi.ts builds the document; the API page and /api/openapi.json serve it).
export {
  API_AREAS,
  API_OPERATIONS,
  HTTP_METHODS,
  type ApiArea,
  type ApiAuth,
  type ApiOperation,
  type HttpMethod,
} from "./operations";
export { authText, jsonSchemaOf, openApiDocument, operationId } from "./openapi";
