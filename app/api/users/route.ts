// POST /api/users: sign up with e-mail and password. A 400 lists every field found wrong in `fields`.
import { signUp } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { errorResponse, HttpError, readJsonBody } from "@/lib/http/body";
import { logger } from "@/lib/log/logger";

export async function POST(req: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await readJsonBody(req, 16 * 1024);
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(e.status, e.message);
    throw e;
  }
  const ip = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const result = await signUp(db(), body, ip);
  if (!result.ok) {
    // An invalid request names every field found wrong at once (`fields`), besides the first (`error`, `field`).
    if (result.fields)
      return Response.json(
        { error: result.error, field: result.field, fields: result.fields },
        { status: result.status },
      );
    return errorResponse(result.status, result.error, result.field);
  }
  logger.info({ event: "user_signed_up", userId: result.user.id }, "user signed up");
  return Response.json({ user: result.user }, { status: 201 });
}
