// Reading request bodies at the boundary: a size cap (413 before parsing), JSON only, zod afterwards.
import { parse as parseContentType } from "content-type";

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

/**
 * Is this Content-Type exactly JSON in UTF-8? Only the media type counts, never a parameter: a page on
 * another site may send `text/plain; x=application/json` without a CORS preflight, so a substring
 * test would let it post JSON with the user's cookie.
 */
export function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  const { type, parameters } = parseContentType(header);
  const charset = parameters.charset?.toLowerCase();
  return type === "application/json" && (charset === undefined || charset === "utf-8" || charset === "utf8");
}

/** Reads at most `limit` bytes of the body as they came; HttpError 413 beyond (declared or read). */
export async function readBodyBytes(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, `Request body is too large (limit ${formatBytes(limit)})`);
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Reads at most `limit` bytes of the body and parses it as JSON; throws HttpError otherwise. */
export async function readJsonBody(req: Request, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit)
    throw new HttpError(413, `Request body is too large (limit ${formatBytes(limit)})`);
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new HttpError(415, "Send the request body as JSON (Content-Type: application/json)");
  }
  if (!req.body) throw new HttpError(400, "Request body is empty");
  const bytes = await readBodyBytes(req, limit);
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}

export function errorResponse(status: number, error: string, field?: string): Response {
  return Response.json(field ? { error, field } : { error }, { status });
}
