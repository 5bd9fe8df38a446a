// The one shape of an authenticated JSON route handler: sign-in check, body reading with a cap,
// domain call, error mapping.
import { currentUser, type CurrentUser } from "@/lib/auth/session";
import { errorResponse, readJsonBody } from "./body";
import { toResponse } from "./errors";

export function withUser<Ctx>(fn: (user: CurrentUser, req: Request, ctx: Ctx) => Promise<Response>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      const user = await currentUser();
      if (!user) return errorResponse(401, "Sign in first (your session may have expired)");
      return await fn(user, req, ctx);
    } catch (e) {
      return toResponse(e);
    }
  };
}

export { readJsonBody };
