// The HTTP face of the exchange, shared by the route and the tests that serve it: JSON body with a cap,
// the exchange, domain errors mapped in the one shared place. No session: the ID token is the credential.
import type { Db } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";
import { exchangeCiIdToken, type ExchangeOptions } from "./exchange";

export async function ciCredentialsResponse(db: Db, req: Request, opts: ExchangeOptions = {}): Promise<Response> {
  try {
    const body = await readJsonBody(req, 32 * 1024);
    const answer = await exchangeCiIdToken(db, body, opts);
    return Response.json(answer, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (e) {
    return toResponse(e);
  }
}
