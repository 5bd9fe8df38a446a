// The two shapes of an authenticated route handler. withActor: a browser session or an API token with
// the scope the method needs. withSession: a browser session only, for what mints or changes credentials
// (a leaked token must not make more tokens or change a password).
import { currentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";
import { authenticate, type ApiActor } from "./actor";

type Handler<Ctx> = (actor: ApiActor, req: Request, ctx: Ctx) => Promise<Response>;

function refusal(status: number, error: string, challenge: string): Response {
  const res = errorResponse(status, error);
  res.headers.set("www-authenticate", challenge);
  return res;
}

export function withActor<Ctx>(fn: Handler<Ctx>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      const auth = await authenticate(db(), req, currentUser);
      if (!auth.ok) return refusal(auth.status, auth.error, auth.challenge);
      return await fn(auth.actor, req, ctx);
    } catch (e) {
      return toResponse(e);
    }
  };
}

export function withSession<Ctx>(fn: Handler<Ctx>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      if (req.headers.get("authorization") !== null)
        return errorResponse(
          403,
          "This needs a browser session: API tokens cannot create tokens, make kubeconfigs, change passwords or end sessions",
        );
      const user = await currentUser();
      if (!user) return refusal(401, "Sign in first (your session may have expired)", "Bearer");
      return await fn({ ...user, via: { kind: "session" } }, req, ctx);
    } catch (e) {
      return toResponse(e);
    }
  };
}
